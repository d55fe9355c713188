package io.sensorcast.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Turns SIGTERM and SIGINT into a request to stop instead of a JVM shutdown, so that {@code run} can close
 * the service on its own thread and return 0: the JVM then exits through {@code System.exit(0)} with every
 * shutdown hook run (Log4j's flush included), rather than being halted from a hook to avoid the 143 that a
 * signal-initiated shutdown reports.
 *
 * <p>Only {@code sun.misc.Signal} (module jdk.unsupported, in every OpenJDK) takes a signal over; it is reached
 * by reflection because compiling against it draws an internal-API warning no annotation suppresses.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    /**
     * Runs {@code onStop} with the signal's name ({@code TERM} or {@code INT}, on the JVM's signal thread) when
     * SIGTERM or SIGINT arrives.
     *
     * @return false where the signals cannot be taken over; the JVM's own handling then stays
     */
    static boolean install(Consumer<String> onStop) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[]{handlerType},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            onStop.accept(String.valueOf(signalType.getMethod("getName").invoke(args[0])));
                            return null;
                        }
                        // Object's methods, should anything ask the proxy for them.
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "StopSignals.handler";
                        };
                    });
            Constructor<?> signal = signalType.getConstructor(String.class);
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            for (String name : new String[]{"TERM", "INT"}) {
                handle.invoke(null, signal.newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Cannot take over SIGTERM and SIGINT ({}); a signal will stop the JVM directly", e.toString());
            return false;
        }
    }
}
