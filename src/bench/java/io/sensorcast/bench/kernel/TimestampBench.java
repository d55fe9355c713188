package io.sensorcast.bench.kernel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ingest path's hand-written RFC 3339 parser against {@code Instant.parse} and
 * {@code OffsetDateTime.parse}, over {@value #N} event timestamps per call (reported per timestamp).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class TimestampBench {

    static final int N = 64;

    /*
     * The parser is package-private to ingest (only the event parser calls it); a constant method handle
     * is inlined by C2 like a direct call, so the figure is the parser's own.
     */
    private static final MethodHandle RFC3339 = parserHandle();

    String[] timestamps;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        DateTimeFormatter local = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
        timestamps = new String[N];
        for (int i = 0; i < N; i++) {
            // what devices send: recent instants, half in UTC with Z, half with an offset, some with millis
            Instant instant = Instant.ofEpochMilli(1_767_225_600_000L + random.nextInt(1_000_000_000) * 10L);
            ZoneOffset offset = i % 2 == 0 ? ZoneOffset.UTC : ZoneOffset.ofHours(random.nextInt(-12, 15));
            OffsetDateTime time = instant.atOffset(offset);
            String fraction = i % 3 == 0 ? String.format(".%03d", time.getNano() / 1_000_000) : "";
            timestamps[i] = local.format(time) + fraction + (offset == ZoneOffset.UTC ? "Z" : offset.getId());
        }
        // the three must do the same work: refuse to run if any disagrees on any input
        long expected = offsetDateTimeParse();
        if (instantParse() != expected || rfc3339ParserUnchecked() != expected) {
            throw new IllegalStateException("parsers disagree on the benchmark's timestamps");
        }
    }

    private long rfc3339ParserUnchecked() {
        try {
            return rfc3339Parser();
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long rfc3339Parser() throws Throwable {
        long sum = 0;
        for (String t : timestamps) {
            sum += (long) RFC3339.invokeExact(t);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long instantParse() {
        long sum = 0;
        for (String t : timestamps) {
            sum += Instant.parse(t).toEpochMilli();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long offsetDateTimeParse() {
        long sum = 0;
        for (String t : timestamps) {
            sum += OffsetDateTime.parse(t).toInstant().toEpochMilli();
        }
        return sum;
    }

    private static MethodHandle parserHandle() {
        try {
            Class<?> parser = Class.forName("io.sensorcast.ingest.Rfc3339Parser");
            return MethodHandles.privateLookupIn(parser, MethodHandles.lookup())
                    .findStatic(parser, "toEpochMillis", MethodType.methodType(long.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach io.sensorcast.ingest.Rfc3339Parser.toEpochMillis", e);
        }
    }
}
