package io.sensorcast.bench.service;

import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** One reading of this process's memory: heap, resident set and JavaCPP's (ND4J's) native accounting. */
record ProcessMemory(long heapUsed, long heapCommitted, long rss, long javacppTotal, long javacppPhysical) {

    private static final long MIB = 1 << 20;

    /** Reads the figures now; with {@code collect}, after a full collection so the heap holds only live data. */
    static ProcessMemory read(boolean collect) {
        if (collect) {
            // Twice: the first collection runs finalisers and cleaners whose memory only the second reclaims.
            System.gc();
            System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessMemory(heap.getUsed(), heap.getCommitted(), vmRss(), Pointer.totalBytes(),
                Pointer.physicalBytes());
    }

    /** VmRSS from /proc/self/status, in bytes. */
    static long vmRss() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            String line = lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no VmRSS in /proc/self/status"));
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        // No "RSS minus committed heap": committed heap pages are not all resident, so that difference
        // understates native memory and even goes negative. /proc/PID/smaps over the heap's range splits it properly.
        return String.format("heap used %,d MiB of %,d MiB committed, VmRSS %,d MiB, JavaCPP total %,d MiB, "
                        + "physical %,d MiB", heapUsed / MIB, heapCommitted / MIB, rss / MIB, javacppTotal / MIB,
                javacppPhysical / MIB);
    }
}
