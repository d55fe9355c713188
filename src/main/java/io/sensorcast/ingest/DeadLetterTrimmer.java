package io.sensorcast.ingest;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Cuts a dead letter that would not fit the largest record the dead-letter topic takes, so that a record of any
 * size the broker accepted still ends up there instead of failing the write (and with it the stream task) on
 * every retry. The value keeps its first bytes; headers give its original size and SHA-256.
 */
public final class DeadLetterTrimmer {

    /**
     * An upper bound of what a record adds besides its key, value and headers: the batch header (61 bytes), the
     * record's varints, and room for the transactional framing a batch of one may carry.
     */
    static final int RECORD_OVERHEAD_BYTES = 256;
    /** Per header: the two length varints. */
    private static final int HEADER_OVERHEAD_BYTES = 10;

    private final int maxRecordBytes;

    /**
     * @param maxRecordBytes the largest record the write may produce: the lower of the producer's
     *                       {@code max.request.size} and the topic's {@code max.message.bytes}
     */
    public DeadLetterTrimmer(int maxRecordBytes) {
        if (maxRecordBytes < 4 * RECORD_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("maxRecordBytes must be at least " + 4 * RECORD_OVERHEAD_BYTES
                    + ", got " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    /** A dead letter's key and value as written. */
    public record Letter(byte[] key, byte[] value) {
    }

    /**
     * The dead letter unchanged when it fits; otherwise its value cut (and, should the key and headers alone not
     * fit, the producer's headers dropped and the key cut), with {@link DeadLetterHeaders#TRUNCATED},
     * {@link DeadLetterHeaders#ORIGINAL_SIZE} and {@link DeadLetterHeaders#ORIGINAL_SHA256} added to
     * {@code headers}.
     */
    public Letter fit(byte[] key, byte[] value, Headers headers) {
        if (estimatedSize(key, value, headers) <= maxRecordBytes) {
            return new Letter(key, value);
        }
        byte[] original = value == null ? new byte[0] : value;
        put(headers, DeadLetterHeaders.ORIGINAL_SIZE, Integer.toString(original.length));
        put(headers, DeadLetterHeaders.ORIGINAL_SHA256, sha256(original));
        put(headers, DeadLetterHeaders.TRUNCATED, "value");
        long room = maxRecordBytes - estimatedSize(key, new byte[0], headers);
        if (room >= 0) {
            return new Letter(key, Arrays.copyOf(original, (int) Math.min(original.length, room)));
        }
        // Only a key or producer headers near the limit get here: keep the service's own headers and cut the key.
        for (Header header : headers.toArray()) {
            if (!header.key().startsWith("sensorcast.dlq.")) {
                headers.remove(header.key());
            }
        }
        put(headers, DeadLetterHeaders.TRUNCATED, "value,headers,key");
        long keyRoom = Math.max(0, maxRecordBytes - estimatedSize(new byte[0], new byte[0], headers));
        return new Letter(key == null ? null : Arrays.copyOf(key, (int) Math.min(key.length, keyRoom)), new byte[0]);
    }

    /** An upper bound of the record's size in a batch of its own, uncompressed. */
    static long estimatedSize(byte[] key, byte[] value, Headers headers) {
        long size = RECORD_OVERHEAD_BYTES + length(key) + length(value);
        for (Header header : headers) {
            size += HEADER_OVERHEAD_BYTES + header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
