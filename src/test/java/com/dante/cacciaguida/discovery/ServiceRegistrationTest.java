package com.dante.cacciaguida.discovery;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceRegistrationTest {

  @ParameterizedTest(name = "{0} ms -> {1}")
  @CsvSource({"10000, 10s", "60000, 1m", "90000, 90s", "7200000, 2h", "500, 500ms", "1500, 1500ms"})
  @DisplayName("durations are written as Go duration strings that keep their exact value")
  void goDurations(long millis, String expected) {
    String written = ServiceRegistration.goDuration(Duration.ofMillis(millis));
    assertEquals(expected, written);
    assertEquals(millis, ConsulAgentDouble.parseGoDuration(written));
  }
}
