package com.dante.cacciaguida;

import com.dante.cacciaguida.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar storage-service.jar [config.yaml]}: starts the service, and on SIGINT/SIGTERM stops it
 * gracefully (Consul deregistration first, then the HTTP server drains) and exits 0. A failed start is one log
 * line and exit code 1.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final long STOP_LIMIT_SECONDS = 60;

  private Main() {
  }

  public static void main(String[] args) {
    Path configFile = Path.of(args.length > 0 ? args[0] : ConfigLoader.DEFAULT_PATH);
    StorageApplication app;
    try {
      app = StorageApplication.start(configFile, System.getenv())
          .toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      LOG.error("Startup failed: {}", cause.getMessage());
      System.exit(1);
      return;
    }
    if (TrainingRun.requested()) {
      try {
        TrainingRun.exercise(app).toCompletionStage().toCompletableFuture().get(STOP_LIMIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Training run incomplete: {}", e.getMessage());
      }
      stopAndExit(app);
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop = () -> {
      if (stopping.compareAndSet(false, true)) {
        stopAndExit(app);
      }
    };
    // handled here rather than in a shutdown hook so the exit status is 0 for an orderly stop
    Signal.handle(new Signal("TERM"), signal -> new Thread(stop, "shutdown").start());
    Signal.handle(new Signal("INT"), signal -> new Thread(stop, "shutdown").start());
  }

  private static void stopAndExit(StorageApplication app) {
    LOG.info("Shutting down");
    CompletableFuture<Void> stopped = app.stop().toCompletionStage().toCompletableFuture();
    int code = 0;
    try {
      stopped.get(STOP_LIMIT_SECONDS, TimeUnit.SECONDS);
      LOG.info("Stopped");
    } catch (Exception e) {
      LOG.error("Shutdown did not complete cleanly: {}", e.getMessage());
      code = 1;
    }
    System.exit(code);
  }
}
