package io.sensorcast.model;

/**
 * One accepted model version as published on the model topic: provenance plus the flat DL4J parameter
 * vector, with the SHA-256 of the parameters' bytes so a corrupted record is refused.
 *
 * @param metadata   version, parent, creation time, shape and training/validation figures
 * @param sha256     hex SHA-256 of the parameters as little-endian float32 bytes
 * @param parameters the network's parameters in DL4J {@code params()} order
 */
public record ModelRecord(ModelMetadata metadata, String sha256, float[] parameters) {
}
