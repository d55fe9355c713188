package io.sensorcast.bench.service;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * CPU time of this JVM (the service, and the broker when it shares the JVM) and of a broker in its own JVM,
 * read before and after a drain; their deltas over the wall time are the cores each process used.
 */
final class CpuMeter {

    private final OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    private final Optional<ProcessHandle> broker;

    /** @param broker the broker's process when it runs in a JVM of its own */
    CpuMeter(Optional<ProcessHandle> broker) {
        this.broker = broker;
    }

    /** One reading: wall clock and the CPU time so far of each process (the broker's -1 when in this JVM). */
    record Reading(long nanoTime, long ownCpuNanos, long brokerCpuNanos) {
    }

    Reading read() {
        long broker = this.broker.map(p -> p.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the OS reports no CPU time for broker pid " + p.pid()))
                .toNanos()).orElse(-1L);
        return new Reading(System.nanoTime(), os.getProcessCpuTime(), broker);
    }

    /** CPU used between two readings, as cores: CPU seconds over wall seconds. */
    record Use(double wallSeconds, double ownCpuSeconds, double brokerCpuSeconds) {

        static Use between(Reading from, Reading to) {
            return new Use((to.nanoTime() - from.nanoTime()) / 1e9, (to.ownCpuNanos() - from.ownCpuNanos()) / 1e9,
                    from.brokerCpuNanos() < 0 ? Double.NaN : (to.brokerCpuNanos() - from.brokerCpuNanos()) / 1e9);
        }

        boolean brokerSeparate() {
            return !Double.isNaN(brokerCpuSeconds);
        }

        double ownCores() {
            return ownCpuSeconds / wallSeconds;
        }

        double brokerCores() {
            return brokerCpuSeconds / wallSeconds;
        }

        @Override
        public String toString() {
            return brokerSeparate()
                    ? String.format("cpu over %.2f s: service JVM %.2f cores, broker JVM %.2f cores", wallSeconds,
                            ownCores(), brokerCores())
                    : String.format("cpu over %.2f s: this JVM (service and broker) %.2f cores", wallSeconds, ownCores());
        }
    }
}
