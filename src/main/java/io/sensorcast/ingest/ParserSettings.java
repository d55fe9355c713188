package io.sensorcast.ingest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the event parser accepts: the pipeline's channels and the limits that guard the hot path.
 *
 * @param channels          channel names in the order the model consumes them; one channel also allows {@code "value"}
 * @param maxPayloadBytes   largest record value accepted, in bytes
 * @param maxAbsValue       largest accepted magnitude of a reading
 * @param maxSensorIdLength longest accepted sensorId, in Unicode code points (as JSON Schema counts)
 */
public record ParserSettings(List<String> channels, int maxPayloadBytes, double maxAbsValue, int maxSensorIdLength) {

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 4096;
    public static final double DEFAULT_MAX_ABS_VALUE = 1e12;
    public static final int DEFAULT_MAX_SENSOR_ID_LENGTH = 256;

    public ParserSettings {
        if (channels == null || channels.isEmpty()) {
            throw new IllegalArgumentException("channels must list at least one channel");
        }
        Set<String> seen = new HashSet<>();
        for (String channel : channels) {
            if (channel == null || channel.isBlank()) {
                throw new IllegalArgumentException("channel names must be non-blank: " + channels);
            }
            if (!seen.add(channel)) {
                throw new IllegalArgumentException("channel \"" + channel + "\" is listed twice: " + channels);
            }
        }
        channels = List.copyOf(channels);
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, got " + maxPayloadBytes);
        }
        // NaN would make every range comparison false and so silently accept any magnitude.
        if (!(maxAbsValue > 0) || Double.isInfinite(maxAbsValue)) {
            throw new IllegalArgumentException("maxAbsValue must be a positive finite number, got " + maxAbsValue);
        }
        if (maxSensorIdLength < 1) {
            throw new IllegalArgumentException("maxSensorIdLength must be positive, got " + maxSensorIdLength);
        }
    }

    /** Settings for the given channels with the default limits. */
    public ParserSettings(List<String> channels) {
        this(channels, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_ABS_VALUE, DEFAULT_MAX_SENSOR_ID_LENGTH);
    }

    public int channelCount() {
        return channels.size();
    }
}
