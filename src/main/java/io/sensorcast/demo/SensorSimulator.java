package io.sensorcast.demo;

import io.sensorcast.ingest.EventJsonWriter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A deterministic stream of readings from several simulated sensors of different kinds, scales and cadences, in
 * event-time order across sensors, with a configurable share of deliberately broken records. Besides daily cycles,
 * noise and gaps the sensors carry weekly patterns, slow trends and lasting level shifts, so a model trained on them
 * (the bootstrap model) has seen the shapes real series have. Together they send about 2,600 readings a simulated
 * day, most of them from the one-minute pump.
 */
public final class SensorSimulator {

    /** The share of broken records when none is given. */
    public static final double DEFAULT_BAD_RECORD_RATE = 0.01;

    private static final RecordDefect[] DEFECTS = {
        RecordDefect.MALFORMED_JSON, RecordDefect.NON_NUMERIC_VALUE, RecordDefect.NAN_TOKEN, RecordDefect.STALE_TIMESTAMP
    };
    private static final String[] NON_NUMERIC_VALUES = {"\"n/a\"", "\"ERR\"", "\"--\"", "\"sensor fault\""};
    private static final long NO_GOOD_RECORD = Long.MIN_VALUE;

    private final List<SimulatedSensor> sensors;
    private final long[] lastGoodTimestampMs;
    private final Random defects;
    private final double badRecordRate;

    /** A simulator with the {@link #DEFAULT_BAD_RECORD_RATE default} share of broken records. */
    public SensorSimulator(long seed, Instant start) {
        this(seed, start, DEFAULT_BAD_RECORD_RATE);
    }

    /**
     * @param seed          the same seed, start and rate give the same records
     * @param start         simulated time of the first readings
     * @param badRecordRate the probability, from 0 to 1, that a record is broken instead of carrying its reading
     */
    public SensorSimulator(long seed, Instant start, double badRecordRate) {
        if (!(badRecordRate >= 0 && badRecordRate <= 1)) {
            throw new IllegalArgumentException("badRecordRate must be between 0 and 1, was " + badRecordRate);
        }
        Random seeds = new Random(seed);
        long startMs = start.toEpochMilli();
        this.sensors = List.of(
                new MachineTemperatureSensor(seeds.nextLong(), startMs),
                new RoomTemperatureSensor(seeds.nextLong(), startMs),
                new PumpPressureSensor(seeds.nextLong(), startMs),
                new TrafficSpeedSensor(seeds.nextLong(), startMs),
                new ServerCpuSensor(seeds.nextLong(), startMs),
                new RequestCountSensor(seeds.nextLong(), startMs),
                // The same kind of room far east of UTC, less often: a model must not tie a cycle to UTC hours.
                new RoomTemperatureSensor("room-temp-7", seeds.nextLong(), startMs, 15 * SimulatedSensor.MINUTE_MS,
                        9, 23.5));
        // A separate source for defects keeps the sensors' signals the same whatever the bad-record rate.
        this.defects = new Random(seeds.nextLong());
        this.badRecordRate = badRecordRate;
        this.lastGoodTimestampMs = new long[sensors.size()];
        Arrays.fill(lastGoodTimestampMs, NO_GOOD_RECORD);
    }

    /** The simulated sensors' ids, which are the record keys. */
    public List<String> sensorIds() {
        return sensors.stream().map(SimulatedSensor::id).toList();
    }

    /** The next record in simulated time; ties go to the sensor listed first. */
    public SimulatedRecord next() {
        int index = 0;
        for (int i = 1; i < sensors.size(); i++) {
            if (sensors.get(i).nextTimestampMs() < sensors.get(index).nextTimestampMs()) {
                index = i;
            }
        }
        SimulatedSensor sensor = sensors.get(index);
        long timestampMs = sensor.nextTimestampMs();
        double reading = sensor.read();

        RecordDefect defect = chooseDefect(index);
        String id = sensor.id();
        String iso = Instant.ofEpochMilli(timestampMs).toString();
        String payload = switch (defect) {
            case NONE -> EventJsonWriter.write(id, timestampMs, reading);
            case MALFORMED_JSON -> malformed(EventJsonWriter.write(id, timestampMs, reading), id, iso, reading);
            case NON_NUMERIC_VALUE -> event(id, iso, NON_NUMERIC_VALUES[defects.nextInt(NON_NUMERIC_VALUES.length)]);
            case NAN_TOKEN -> event(id, iso, "NaN");
            // A delayed retransmission: a plausible reading from up to two hours before the sensor's last good one.
            case STALE_TIMESTAMP -> EventJsonWriter.write(id,
                    lastGoodTimestampMs[index] - (1 + defects.nextInt(120)) * SimulatedSensor.MINUTE_MS, reading);
        };
        if (defect == RecordDefect.NONE) {
            lastGoodTimestampMs[index] = timestampMs;
        }
        return new SimulatedRecord(id, payload.getBytes(StandardCharsets.UTF_8), timestampMs, defect,
                defect == RecordDefect.NONE ? reading : null);
    }

    private RecordDefect chooseDefect(int sensorIndex) {
        if (defects.nextDouble() >= badRecordRate) {
            return RecordDefect.NONE;
        }
        // A sensor's first good record has nothing older to repeat, so it cannot yet be stale.
        int kinds = lastGoodTimestampMs[sensorIndex] == NO_GOOD_RECORD ? DEFECTS.length - 1 : DEFECTS.length;
        return DEFECTS[defects.nextInt(kinds)];
    }

    private String malformed(String goodJson, String id, String iso, double reading) {
        if (defects.nextBoolean()) {
            // Cut anywhere before the closing brace, as a lost packet would.
            return goodJson.substring(0, 1 + defects.nextInt(goodJson.length() - 1));
        }
        return id + " " + iso + " value=" + reading;
    }

    private static String event(String id, String iso, String rawValue) {
        return "{\"sensorId\":\"" + id + "\",\"ts\":\"" + iso + "\",\"value\":" + rawValue + "}";
    }
}
