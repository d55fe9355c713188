package io.sensorcast.training;

import io.sensorcast.config.TrainingSettings;
import io.sensorcast.forecast.StepListener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recent per-sensor step sequences for the trainer, in memory bounded whatever the key count: a uniform
 * sample of at most {@code maxKeys} sensors (bottom-k by a seeded 64-bit hash of the key, so the choice
 * is stable and needs no memory of rejected keys) and a ring of each one's last steps: the sampled sensors
 * share {@code sampleBudget} steps, at most {@code stepsPerKey} each.
 *
 * <p>Two sides, two threads: stream threads hand steps in through {@link #listener()}, which never
 * blocks (a full intake drops the step and counts it); the trainer thread alone calls {@link #drain()}
 * and {@link #sequences()}. The only shared state is the intake queue and two atomics.
 */
public final class SampleBuffer {

    private record Sample(String key, long hash, long stepNumber, StepRecord step) {
    }

    private final int maxKeys;
    private final int stepsPerKey;
    private final long sampleBudget;
    private final long seed;
    private final ArrayBlockingQueue<Sample> intake;
    /** Keys whose hash is above this are not sampled: lets stream threads skip most keys cheaply. */
    private volatile long admissionThreshold = Long.MAX_VALUE;
    private final AtomicLong dropped = new AtomicLong();
    /**
     * Sensors the service forgot since the last drain (reset by the trainer on each): few, as only keys that may be
     * in the sample are noted, and the trainer drains several times a second.
     */
    private final Set<String> departed = ConcurrentHashMap.newKeySet();
    // Trainer-thread state below.
    private final Map<String, ArrayDeque<StepRecord>> rings = new HashMap<>();
    /** Per sampled key, the step number of the newest step in its ring. */
    private final Map<String, Long> lastStepNumbers = new HashMap<>();
    private final TreeMap<Long, String> keysByHash = new TreeMap<>();
    private long drained;

    /** The buffer a pipeline's {@code training:} section asks for. */
    public static SampleBuffer of(TrainingSettings t) {
        return new SampleBuffer(t.maxKeys(), t.stepsPerKey(), t.sampleBudget(), Math.max(t.intakeCapacity(), 1), t.seed());
    }

    /** A buffer without a shared budget: each sampled sensor keeps up to {@code stepsPerKey} steps. */
    public SampleBuffer(int maxKeys, int stepsPerKey, int intakeCapacity, long seed) {
        this(maxKeys, stepsPerKey, Long.MAX_VALUE, intakeCapacity, seed);
    }

    /** A buffer whose sampled sensors share {@code sampleBudget} steps, at most {@code stepsPerKey} each. */
    public SampleBuffer(int maxKeys, int stepsPerKey, long sampleBudget, int intakeCapacity, long seed) {
        this.sampleBudget = sampleBudget;
        this.maxKeys = maxKeys;
        this.stepsPerKey = stepsPerKey;
        this.seed = seed;
        this.intake = new ArrayBlockingQueue<>(intakeCapacity);
    }

    /**
     * The stream side: copies each step into the intake unless its key is outside the sample, and notes each
     * forgotten sensor that may be in the sample, for the trainer to drop.
     */
    public StepListener listener() {
        return new StepListener() {
            @Override
            public void onStep(String sensorId, long step, long timestampMs, float[] input, double[] values,
                               double[] mean, double[] std) {
                long hash = hash(sensorId);
                if (hash > admissionThreshold) {
                    return;
                }
                if (!intake.offer(new Sample(sensorId, hash, step,
                        StepRecord.copyOf(timestampMs, input, values, mean, std)))) {
                    dropped.incrementAndGet();
                }
            }

            @Override
            public void forgotten(String sensorId) {
                if (hash(sensorId) <= admissionThreshold) {
                    departed.add(sensorId);
                }
            }
        };
    }

    /** Moves waiting steps into the per-key rings; returns how many were kept. Trainer thread only. */
    public int drain() {
        int kept = 0;
        for (Sample s = intake.poll(); s != null; s = intake.poll()) {
            ArrayDeque<StepRecord> ring = rings.get(s.key());
            if (ring == null) {
                ring = admit(s.key(), s.hash());
                if (ring == null) {
                    continue;
                }
            }
            Long last = lastStepNumbers.put(s.key(), s.stepNumber());
            if (last != null && s.stepNumber() != last + 1) {
                // A dropped step (or a restarted sensor) breaks the sequence: a window across the gap would
                // pair inputs with the wrong next values, so the ring starts again from here.
                ring.clear();
            }
            int capacity = capacityPerKey();
            while (ring.size() >= capacity) {
                ring.pollFirst();
            }
            ring.addLast(s.step());
            kept++;
        }
        drained += kept;
        // After the intake: a forgotten sensor's last steps may still have been in it.
        for (String key : departed) {
            departed.remove(key);
            leave(key);
        }
        return kept;
    }

    /** Takes a forgotten sensor out of the sample, making room for another. */
    private void leave(String key) {
        if (rings.remove(key) == null) {
            return;
        }
        lastStepNumbers.remove(key);
        keysByHash.remove(hash(key));
        if (keysByHash.size() < maxKeys) {
            admissionThreshold = Long.MAX_VALUE;
        }
    }

    private ArrayDeque<StepRecord> admit(String key, long hash) {
        if (keysByHash.size() >= maxKeys) {
            Map.Entry<Long, String> largest = keysByHash.lastEntry();
            if (hash >= largest.getKey()) {
                return null;
            }
            keysByHash.pollLastEntry();
            rings.remove(largest.getValue());
            lastStepNumbers.remove(largest.getValue());
        }
        keysByHash.put(hash, key);
        if (keysByHash.size() >= maxKeys) {
            admissionThreshold = keysByHash.lastKey();
        }
        ArrayDeque<StepRecord> ring = new ArrayDeque<>(Math.min(stepsPerKey, 1024));
        rings.put(key, ring);
        return ring;
    }

    /**
     * Steps kept per sampled sensor: the total budget shared by the sampled sensors, at most
     * {@code stepsPerKey} each (few sensors keep long histories, many sensors shorter ones).
     */
    int capacityPerKey() {
        return (int) Math.max(1, Math.min(stepsPerKey, sampleBudget / Math.max(1, keysByHash.size())));
    }

    /** Each sampled sensor's recent steps, oldest first, in a stable key order. Trainer thread only. */
    public List<List<StepRecord>> sequences() {
        List<List<StepRecord>> out = new ArrayList<>(rings.size());
        int capacity = capacityPerKey();
        for (String key : keysByHash.values()) {
            ArrayDeque<StepRecord> ring = rings.get(key);
            while (ring.size() > capacity) {
                ring.pollFirst();
            }
            out.add(List.copyOf(ring));
        }
        return out;
    }

    /** Steps held now over all sampled sensors. Trainer thread only. */
    public long heldSteps() {
        long n = 0;
        for (ArrayDeque<StepRecord> ring : rings.values()) {
            n += ring.size();
        }
        return n;
    }

    /** Steps kept since the buffer was created. */
    public long drainedCount() {
        return drained;
    }

    /** Steps dropped because the intake was full (the trainer fell behind). */
    public long droppedCount() {
        return dropped.get();
    }

    public int sampledKeys() {
        return keysByHash.size();
    }

    // A seeded FNV-1a of the key's UTF-8 bytes, finished with SplitMix64's mixer; 63 bits, so signed order works.
    long hash(String key) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return (h ^ (h >>> 31)) >>> 1;
    }
}
