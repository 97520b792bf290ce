package com.dante.cacciaguida;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.metrics.StorageMetrics;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Builds the Vert.x instance: plain, or clustered over Hazelcast (API.md 5). Clustered, both the event bus and
 * Hazelcast bind to {@code cluster.host} and advertise it (a container's own address, reachable by its peers),
 * and Hazelcast joins only the TCP-IP {@code cluster.members} of the cluster named {@code cluster.name}: no
 * multicast, no auto-detection, no port auto-increment, so a node never lands somewhere its peers do not look.
 * It reports into the service's metrics registry when metrics are enabled.
 */
final class VertxFactory {

  private VertxFactory() {
  }

  /** Called off any event loop: resolving {@code cluster.host} may block. */
  static Future<Vertx> create(StorageConfig config, VertxOptions options, StorageMetrics metrics) {
    options.setMetricsOptions(metrics.vertxOptions());
    if (!config.cluster().enabled()) {
      return Future.succeededFuture(metrics.instrument(Vertx.builder().with(options)).build());
    }
    StorageConfig.Cluster cluster = config.cluster();
    Config hazelcast;
    try {
      hazelcast = hazelcast(cluster);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    options.setEventBusOptions(new EventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.port())
        .setClusterPublicHost(cluster.host()));
    return metrics.instrument(Vertx.builder().with(options))
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered();
  }

  /**
   * The Hazelcast member config: Vert.x's defaults (its maps and multimaps, or a {@code cluster.xml} an operator
   * put on the classpath) with the network taken from {@code cluster.*}.
   */
  static Config hazelcast(StorageConfig.Cluster cluster) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cluster.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    // Main stops Vert.x on SIGTERM, which leaves the cluster; Hazelcast's own hook would race it
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    // bind the member socket to cluster.host only, not to every interface
    hz.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(cluster.hazelcastPort()).setPortAutoIncrement(false)
        .setPublicAddress(cluster.host() + ":" + cluster.hazelcastPort());
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(localAddress(cluster.host())));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members().isEmpty()
        ? List.of(cluster.host() + ":" + cluster.hazelcastPort()) : cluster.members());
    return hz;
  }

  /** The IP of {@code host}, which must be an address of this machine (Hazelcast interfaces take IPs only). */
  private static String localAddress(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      if (address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) == null) {
        throw new IllegalArgumentException("cluster.host " + host + " (" + address.getHostAddress()
            + ") must be an address of this machine that its peers reach: the event bus and Hazelcast bind to"
            + " it and advertise it");
      }
      return address.getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cluster.host " + host + " cannot be resolved", e);
    } catch (SocketException e) {
      throw new IllegalArgumentException("cluster.host " + host + ": " + e.getMessage(), e);
    }
  }
}
