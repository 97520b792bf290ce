package com.dante.cacciaguida;

import com.dante.cacciaguida.config.StorageConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Hazelcast member config from cluster.*")
class VertxFactoryTest {

  @Test
  @DisplayName("Binds and advertises cluster.host on cluster.hazelcastPort and joins only cluster.members")
  void bindsAdvertisesAndJoinsMembersOnly() {
    Config hz = VertxFactory.hazelcast(new StorageConfig.Cluster(true, "127.0.0.1", 0, "team-a", 5801,
        List.of("127.0.0.1:5801", "10.0.0.7:5701")));
    NetworkConfig network = hz.getNetworkConfig();
    assertEquals("team-a", hz.getClusterName());
    assertEquals(5801, network.getPort());
    assertFalse(network.isPortAutoIncrement());
    assertEquals("127.0.0.1:5801", network.getPublicAddress());
    assertTrue(network.getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(network.getInterfaces().getInterfaces()));
    assertEquals("false", hz.getProperty("hazelcast.socket.bind.any"));
    JoinConfig join = network.getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5801", "10.0.0.7:5701"), join.getTcpIpConfig().getMembers());
    assertTrue(hz.getMultiMapConfigs().containsKey("__vertx.subs"), "Vert.x's own Hazelcast settings kept");
  }

  @Test
  @DisplayName("Without members, a node forms a cluster of its own")
  void noMembersMeansAlone() {
    Config hz = VertxFactory.hazelcast(new StorageConfig.Cluster(true, "localhost", 0, "solo", 5801, List.of()));
    assertEquals(List.of("localhost:5801"), hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertEquals(List.of("127.0.0.1"), List.copyOf(hz.getNetworkConfig().getInterfaces().getInterfaces()));
  }

  @Test
  @DisplayName("A cluster.host that is not an address of this machine stops startup with a clear message")
  void foreignHostIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VertxFactory.hazelcast(
        new StorageConfig.Cluster(true, "192.0.2.1", 0, "x", 5801, List.of())));
    assertTrue(e.getMessage().startsWith("cluster.host 192.0.2.1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> VertxFactory.hazelcast(
        new StorageConfig.Cluster(true, "0.0.0.0", 0, "x", 5801, List.of())));
  }
}
