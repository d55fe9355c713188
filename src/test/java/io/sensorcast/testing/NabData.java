package io.sensorcast.testing;

import io.sensorcast.ingest.CsvSeries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real sensor series in ../shared/data/nab, read in place (never copied into the repository). */
public final class NabData {

    private NabData() {
    }

    public static Path directory() {
        Path dir = Path.of(System.getProperty("sensorcast.shared.dir", "../shared"), "data", "nab");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("NAB data not found at " + dir.toAbsolutePath()
                    + ": the repository expects ../shared beside it");
        }
        return dir;
    }

    /** One series by its path under data/nab, e.g. {@code realTraffic/speed_7578.csv}. */
    public static CsvSeries series(String relative) {
        try {
            return CsvSeries.read(directory().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
