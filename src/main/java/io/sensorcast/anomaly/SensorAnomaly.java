package io.sensorcast.anomaly;

/**
 * One record of the anomaly topic: a scored event of a sensor and its score.
 *
 * @param sensorId     the sensor
 * @param timestampMs  the event's timestamp
 * @param step         the key's step number of the event
 * @param modelVersion version of the model whose forecast the event was scored against
 * @param score        the score; always {@link AnomalyScore#scored()}
 */
public record SensorAnomaly(String sensorId, long timestampMs, long step, long modelVersion, AnomalyScore score) {
}
