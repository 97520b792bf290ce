package com.dante.cacciaguida.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.reactivestreams.Publisher;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Optional;

/**
 * The S3 backend's ReadStream → Reactive Streams bridge, as the benchmark sees it. The service class is found by
 * name so that this project compiles against any build of the service; it must implement {@link Publisher} and
 * have a public constructor, or a public static factory returning a {@link Publisher}, whose parameters are a
 * {@link ReadStream} and optionally a {@link Context} and/or a {@link Vertx}, in any order.
 */
@FunctionalInterface
interface PublisherBridge {

  Publisher<?> publisher(ReadStream<Buffer> source, Context context);

  static PublisherBridge named(String className) {
    Class<?> type;
    try {
      type = Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("The bridge class " + className + " is not in the service jar; "
          + "pass its name with -p bridgeClass=... or exclude PublisherBridgeBenchmark", e);
    }
    Executable entry = Arrays.stream(type.getConstructors())
        .filter(c -> Publisher.class.isAssignableFrom(type) && takesOnlyStreamContextVertx(c))
        .map(Executable.class::cast)
        .findFirst()
        .or(() -> staticFactory(type))
        .orElseThrow(() -> new IllegalStateException(className
            + " has no public constructor or static Publisher factory taking (ReadStream[, Context][, Vertx])"));
    return (source, context) -> {
      Object[] args = Arrays.stream(entry.getParameterTypes())
          .map(p -> p == ReadStream.class ? source : p == Context.class ? context : context.owner())
          .toArray();
      try {
        return (Publisher<?>) (entry instanceof Constructor<?> c ? c.newInstance(args) : ((Method) entry).invoke(null, args));
      } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("Cannot create " + className, e);
      }
    };
  }

  private static Optional<Executable> staticFactory(Class<?> type) {
    return Arrays.stream(type.getMethods())
        .filter(m -> Modifier.isStatic(m.getModifiers()) && Publisher.class.isAssignableFrom(m.getReturnType()))
        .filter(PublisherBridge::takesOnlyStreamContextVertx)
        .map(Executable.class::cast)
        .findFirst();
  }

  private static boolean takesOnlyStreamContextVertx(Executable executable) {
    Class<?>[] params = executable.getParameterTypes();
    return Arrays.asList(params).contains(ReadStream.class)
        && Arrays.stream(params).allMatch(p -> p == ReadStream.class || p == Context.class || p == Vertx.class);
  }
}
