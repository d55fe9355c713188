package io.sensorcast.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sensorcast.config.PipelineConfig;

import java.time.Instant;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Provenance and shape of one model, stored beside its DL4J zip as JSON and carried in model records.
 *
 * @param name          model name (the pipeline name)
 * @param version       monotonically increasing version; the bootstrap model is 1
 * @param parentVersion version it was trained from, 0 for none
 * @param createdAt     ISO-8601 instant
 * @param cell          lstm, gru or rnn
 * @param layers        hidden sizes, input side first
 * @param channels      value channels, in input order
 * @param horizon       K
 * @param timeOfDay     whether time-of-day inputs are present
 * @param dayOfWeek     whether day-of-week inputs are present
 * @param seasons       seasons of the seasonal-context inputs (ISO-8601); absent in models made before they existed
 * @param inputSize     D
 * @param outputSize    head width
 * @param training      how it was trained: data, command, hyper-parameters and figures
 * @param sha256        hex SHA-256 of the DL4J zip
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(String name, long version, long parentVersion, String createdAt, String cell,
                            List<Integer> layers, List<String> channels, int horizon, boolean timeOfDay,
                            boolean dayOfWeek, List<String> seasons, int inputSize, int outputSize, Map<String, Object> training,
                            String sha256) {

    /** Metadata of a model shaped for {@code config}. */
    public static ModelMetadata forPipeline(PipelineConfig config, long version, long parentVersion, Instant createdAt,
                                            Map<String, Object> training) {
        return new ModelMetadata(config.name(), version, parentVersion, createdAt.toString(),
                config.model().cell().name().toLowerCase(Locale.ROOT), config.model().layers(), config.channels(),
                config.horizon(), config.features().timeOfDay(), config.features().dayOfWeek(),
                config.features().seasons().stream().map(Object::toString).toList(), config.inputSize(),
                ModelShapes.headWidth(config), training, null);
    }

    /** The seasons as declared, none for a model made before seasonal inputs existed. */
    public List<String> seasonsOrNone() {
        return seasons == null ? List.of() : seasons;
    }

    /** The same metadata with another checksum (set once the zip is written). */
    public ModelMetadata withSha256(String sum) {
        return new ModelMetadata(name, version, parentVersion, createdAt, cell, layers, channels, horizon, timeOfDay,
                dayOfWeek, seasons, inputSize, outputSize, training, sum);
    }
}
