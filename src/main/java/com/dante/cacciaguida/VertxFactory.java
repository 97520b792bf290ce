package com.dante.cacciaguida;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.metrics.StorageMetrics;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Builds the Vert.x instance: plain, or clustered over Hazelcast (API.md 5) with TCP-IP join on
 * {@code cluster.members} (no multicast), bound to {@code cluster.host}, event bus on {@code cluster.port};
 * reporting into the service's metrics registry when metrics are enabled.
 */
final class VertxFactory {

  private VertxFactory() {
  }

  static Future<Vertx> create(StorageConfig config, VertxOptions options, StorageMetrics metrics) {
    options.setMetricsOptions(metrics.vertxOptions());
    if (!config.cluster().enabled()) {
      return Future.succeededFuture(metrics.instrument(Vertx.builder().with(options)).build());
    }
    StorageConfig.Cluster cluster = config.cluster();
    options.setEventBusOptions(new EventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.port())
        .setClusterPublicHost(cluster.host()));
    return metrics.instrument(Vertx.builder().with(options))
        .withClusterManager(new HazelcastClusterManager(hazelcast(config)))
        .buildClustered();
  }

  static Config hazelcast(StorageConfig config) {
    StorageConfig.Cluster cluster = config.cluster();
    Config hz = new Config();
    hz.setClusterName(cluster.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.getNetworkConfig().setPort(cluster.hazelcastPort()).setPortAutoIncrement(true)
        .setPublicAddress(cluster.host());
    hz.getNetworkConfig().getInterfaces().setEnabled(false);
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members().isEmpty()
        ? java.util.List.of(cluster.host()) : cluster.members());
    return hz;
  }
}
