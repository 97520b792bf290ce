package com.dante.cacciaguida.cluster;

import com.dante.cacciaguida.TestService;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A Hazelcast cluster on loopback for one test class: a fixed set of member slots (each with its own Hazelcast
 * port, all of them listed as TCP-IP members) and a cluster name of its own, so parallel runs never join each
 * other. Slots are filled with service nodes (started as {@code Main} starts them) or bare caller nodes.
 */
final class TestCluster implements AutoCloseable {

  private static final String HOST = "127.0.0.1";

  static {
    // a lone member waits 5 s for others before it forms a cluster; on loopback 1 s is plenty
    System.setProperty("hazelcast.wait.seconds.before.join", "1");
  }

  private final String name = "storage-test-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();
  private final List<AutoCloseable> started = new ArrayList<>();

  TestCluster(int members) {
    for (int i = 0; i < members; i++) {
      int port;
      do {
        port = TestService.freePort();
      } while (ports.contains(port));
      ports.add(port);
    }
  }

  String members() {
    return ports.stream().map(p -> HOST + ":" + p).collect(Collectors.joining(","));
  }

  /** A whole service node in slot {@code member}, configured only through {@code STORAGE_*} variables. */
  TestService service(int member, Path dir, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("STORAGE_CLUSTER_ENABLED", "true");
    env.put("STORAGE_CLUSTER_HOST", HOST);
    env.put("STORAGE_CLUSTER_PORT", "0");
    env.put("STORAGE_CLUSTER_NAME", name);
    env.put("STORAGE_CLUSTER_HAZELCASTPORT", Integer.toString(ports.get(member)));
    env.put("STORAGE_CLUSTER_MEMBERS", members());
    TestService service = TestService.start(dir, env);
    started.add(service);
    return service;
  }

  /**
   * A clustered Vert.x in slot {@code member} with nothing deployed: what another service of the platform looks
   * like. Built from vertx-core and vertx-hazelcast only, the way the README tells callers to join.
   */
  Vertx caller(int member) {
    Config hazelcast = ConfigUtil.loadConfig().setClusterName(name)
        .setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.getNetworkConfig().setPort(ports.get(member)).setPortAutoIncrement(false);
    hazelcast.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(HOST);
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.of(members().split(",")));
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(HOST).setClusterPublicHost(HOST)))
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered()
        .await();
    started.add(() -> vertx.close().await());
    return vertx;
  }

  /** Stops a service node ahead of the others (gracefully, as on SIGTERM). */
  void stop(TestService service) {
    started.remove(service);
    service.close();
  }

  @Override
  public void close() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
  }
}
