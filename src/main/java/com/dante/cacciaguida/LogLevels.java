package com.dante.cacciaguida;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log_level} to the root logger, and silences the one Vert.x log line that reports a client's
 * doing as an error: {@code VertxConnection} logs every failed zero-copy file send (a client that went away
 * mid-download) at ERROR with a stack trace, then fails the send, which the service handles like any failed
 * response (the connection is closed, the access log says {@code completed: false}).
 */
final class LogLevels {

  private static final String VERTX_SEND_FILE = "io.vertx.core.net.impl.VertxConnection";

  private LogLevels() {
  }

  static void apply(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
      context.getLogger(VERTX_SEND_FILE).setLevel(Level.OFF);
    }
  }
}
