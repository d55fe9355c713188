package io.sensorcast.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads anomaly windows in NAB's {@code combined_windows.json} format: per file (a path ending in the series' file
 * name), a list of {@code [start, end]} timestamps as {@code YYYY-MM-DD HH:MM:SS[.ffffff]}, taken as UTC like the
 * CSV reader takes them.
 */
public final class NabLabels {

    private NabLabels() {
    }

    /** The windows per series name (the file name without its folder and {@code .csv}). */
    public static Map<String, List<NabScorer.Window>> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a JSON object of file names to windows");
        }
        Map<String, List<NabScorer.Window>> out = new LinkedHashMap<>();
        for (var entry : root.properties()) {
            String name = entry.getKey().replaceAll("^.*/", "").replaceAll("\\.csv$", "");
            List<NabScorer.Window> windows = new ArrayList<>();
            for (JsonNode w : entry.getValue()) {
                if (!w.isArray() || w.size() != 2) {
                    throw new IOException(file + ": " + entry.getKey() + ": a window must be [start, end], got " + w);
                }
                windows.add(new NabScorer.Window(millis(file, w.get(0).asText()), millis(file, w.get(1).asText())));
            }
            out.put(name, windows);
        }
        return out;
    }

    private static long millis(Path file, String text) throws IOException {
        try {
            return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IOException(file + ": '" + text + "' is not a timestamp (expected YYYY-MM-DD HH:MM:SS)", e);
        }
    }
}
