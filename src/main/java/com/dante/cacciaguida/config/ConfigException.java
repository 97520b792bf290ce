package com.dante.cacciaguida.config;

/** A config value that cannot be used; its message is the one log line startup fails with. */
public class ConfigException extends RuntimeException {

  public ConfigException(String key, Object value, String reason) {
    super("Invalid config value for " + key + ": '" + value + "' (" + reason + ")", null, false, false);
  }

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
