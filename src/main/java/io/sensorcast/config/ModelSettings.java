package io.sensorcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sensorcast.recurrent.CellType;

import java.util.List;
import java.util.Locale;

/**
 * The network the pipeline serves and where its starting weights come from.
 *
 * @param cell         recurrent cell: lstm (default) or rnn
 * @param layers       hidden size of each stacked layer, input side first
 * @param path         bootstrap model zip (its metadata sits beside it as .json)
 * @param directory    where accepted models are written and looked for on start
 * @param replayWindow inputs kept per key to rebuild its state under new weights after a swap
 * @param calibrationWindow events over which each sensor measures how much of the network's forecast change came
 *                          true (0: the change is served unscaled)
 */
public record ModelSettings(CellType cell, List<Integer> layers, String path, String directory, int replayWindow,
                            int calibrationWindow) {

    public static final ModelSettings DEFAULTS = PipelineConfigLoader.defaults("model", ModelSettings.class);

    /** Binds the file's values; the loader has filled in the defaults, so none is null. */
    @JsonCreator
    public ModelSettings(@JsonProperty("cell") String cell, @JsonProperty("layers") List<Integer> layers,
                         @JsonProperty("path") String path, @JsonProperty("directory") String directory,
                         @JsonProperty("replayWindow") int replayWindow,
                         @JsonProperty("calibrationWindow") int calibrationWindow) {
        this(parseCell(cell), List.copyOf(layers), path, directory, replayWindow, calibrationWindow);
    }

    private static CellType parseCell(String cell) {
        try {
            return CellType.valueOf(cell.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("model.cell: '" + cell + "' is not a cell; allowed: lstm, gru, rnn"
                    + " (bidirectional layers need future events, so they cannot step once per event)");
        }
    }

    public int[] hiddenSizes() {
        return layers.stream().mapToInt(Integer::intValue).toArray();
    }
}
