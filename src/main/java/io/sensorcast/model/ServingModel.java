package io.sensorcast.model;

import io.sensorcast.recurrent.NetworkWeights;

/**
 * The model serving events: an immutable weight snapshot with its version and provenance.
 * Swapped as a single reference, so an event is always stepped with one consistent weight set.
 */
public record ServingModel(long version, NetworkWeights weights, ModelMetadata metadata) {
}
