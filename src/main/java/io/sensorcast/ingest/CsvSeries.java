package io.sensorcast.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A time series read from a CSV file: a timestamp per row and one value per channel.
 *
 * @param name         the series name (file name without {@code .csv}); the sensor id when the series is replayed
 * @param channels     the value columns' header names, in file order
 * @param timestampsMs each row's timestamp, epoch milliseconds, in file order; real data repeats and steps back
 *                     now and then, so these are not guaranteed to increase
 * @param values       {@code values[row][channel]}
 */
public record CsvSeries(String name, List<String> channels, long[] timestampsMs, double[][] values) {

    public CsvSeries {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a series needs a name");
        }
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("series " + name + " has no value channel");
        }
        if (timestampsMs.length != values.length) {
            throw new IllegalArgumentException("series " + name + " has " + timestampsMs.length
                    + " timestamps but " + values.length + " rows of values");
        }
        timestampsMs = timestampsMs.clone();
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != channels.size()) {
                throw new IllegalArgumentException("row " + i + " of series " + name + " has " + values[i].length
                        + " values for " + channels.size() + " channels");
            }
            rows[i] = values[i].clone();
        }
        values = rows;
    }

    /** Reads one CSV file: a header row, then timestamp and numeric values per row. */
    public static CsvSeries read(Path file) throws IOException {
        return CsvSeriesReader.read(file);
    }

    /** Reads every {@code .csv} file under {@code directory}, subfolders included, sorted by relative path. */
    public static List<CsvSeries> readDirectory(Path directory) throws IOException {
        return CsvSeriesReader.readDirectory(directory);
    }

    /** The number of rows. */
    public int size() {
        return timestampsMs.length;
    }

    /** The timestamp of row {@code row}, epoch milliseconds. */
    public long timestampMs(int row) {
        return timestampsMs[row];
    }

    /** The value of channel {@code channel} in row {@code row}. */
    public double value(int row, int channel) {
        return values[row][channel];
    }

    /** Row {@code row} as the service's input event, with this series' name as the sensor id. */
    public String toEventJson(int row) {
        return EventJsonWriter.write(name, timestampsMs[row], channels, values[row]);
    }

    @Override
    public long[] timestampsMs() {
        return timestampsMs.clone();
    }

    @Override
    public double[][] values() {
        double[][] copy = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            copy[i] = values[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvSeries s && name.equals(s.name) && channels.equals(s.channels)
                && Arrays.equals(timestampsMs, s.timestampsMs) && Arrays.deepEquals(values, s.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + channels.hashCode()) + Arrays.hashCode(timestampsMs);
    }

    @Override
    public String toString() {
        return "CsvSeries[" + name + " " + channels + ", " + size() + " rows]";
    }
}
