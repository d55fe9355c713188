package io.sensorcast.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Parses the simple CSV the series files use: comma-separated, no embedded commas or quotes inside fields, a header
 * row naming the timestamp column and the value channels.
 */
final class CsvSeriesReader {

    private static final String EXTENSION = ".csv";
    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,19}");
    // Stricter than Double.parseDouble, which also takes "NaN", "Infinity", hex floats and a trailing 'd' or 'f'.
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private CsvSeriesReader() {
    }

    static List<CsvSeries> readDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> paths = Files.walk(directory)) {
            files = paths.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(EXTENSION))
                    .sorted((a, b) -> directory.relativize(a).toString().compareTo(directory.relativize(b).toString()))
                    .toList();
        }
        List<CsvSeries> series = new ArrayList<>(files.size());
        Map<String, Path> fileByName = new HashMap<>();
        for (Path file : files) {
            CsvSeries read = read(file);
            Path clash = fileByName.putIfAbsent(read.name(), file);
            if (clash != null) {
                // The name becomes the sensor id, so two files with one name would be replayed as one sensor.
                throw new IOException("series name " + read.name() + " is used by both " + clash + " and " + file);
            }
            series.add(read);
        }
        return List.copyOf(series);
    }

    static CsvSeries read(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.toLowerCase(Locale.ROOT).endsWith(EXTENSION)
                ? fileName.substring(0, fileName.length() - EXTENSION.length())
                : fileName;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = in.readLine();
            if (headerLine == null || headerLine.isBlank()) {
                throw new CsvFormatException(file, 1, 0, null, "expected a header row such as 'timestamp,value'");
            }
            if (headerLine.charAt(0) == BYTE_ORDER_MARK) {
                headerLine = headerLine.substring(1);
            }
            String[] header = split(headerLine);
            List<String> channels = channels(file, header);

            long[] timestampsMs = new long[1024];
            List<double[]> rows = new ArrayList<>();
            int lineNumber = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = split(line);
                if (fields.length != header.length) {
                    throw new CsvFormatException(file, lineNumber, 0, null,
                            "expected " + header.length + " columns as in the header but found " + fields.length);
                }
                if (rows.size() == timestampsMs.length) {
                    timestampsMs = Arrays.copyOf(timestampsMs, timestampsMs.length * 2);
                }
                timestampsMs[rows.size()] = timestamp(file, lineNumber, header[0], fields[0]);
                double[] values = new double[channels.size()];
                for (int c = 0; c < values.length; c++) {
                    values[c] = number(file, lineNumber, c + 2, header[c + 1], fields[c + 1]);
                }
                rows.add(values);
            }
            return new CsvSeries(name, channels, Arrays.copyOf(timestampsMs, rows.size()),
                    rows.toArray(new double[0][]));
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
    }

    private static List<String> channels(Path file, String[] header) throws CsvFormatException {
        if (header.length < 2) {
            throw new CsvFormatException(file, 1, 0, null,
                    "the header needs a timestamp column and at least one value column");
        }
        Set<String> seen = new HashSet<>();
        List<String> channels = new ArrayList<>();
        for (int c = 1; c < header.length; c++) {
            String channel = header[c];
            if (channel.isEmpty()) {
                throw new CsvFormatException(file, 1, c + 1, null, "the value column has no name");
            }
            if (!seen.add(channel)) {
                throw new CsvFormatException(file, 1, c + 1, channel, "the column name appears twice");
            }
            channels.add(channel);
        }
        return channels;
    }

    private static String[] split(String line) {
        String[] fields = line.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
                field = field.substring(1, field.length() - 1).strip();
            }
            fields[i] = field;
        }
        return fields;
    }

    private static long timestamp(Path file, int line, String column, String text) throws CsvFormatException {
        if (text.isEmpty()) {
            throw new CsvFormatException(file, line, 1, column, "the timestamp is missing");
        }
        try {
            if (EPOCH_MILLIS.matcher(text).matches()) {
                return Long.parseLong(text);
            }
            // "YYYY-MM-DD HH:MM:SS" is ISO-8601 with a space for the 'T'.
            String iso = text.length() > 10 && text.charAt(10) == ' '
                    ? text.substring(0, 10) + 'T' + text.substring(11)
                    : text;
            if (hasOffset(iso)) {
                return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
            }
            // A wall-clock time without zone is taken as UTC: local time would repeat or skip an hour at DST changes.
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new CsvFormatException(file, line, 1, column, "'" + text
                    + "' is not a timestamp (expected YYYY-MM-DD HH:MM:SS, ISO-8601 or epoch milliseconds)");
        }
    }

    private static boolean hasOffset(String iso) {
        int timeStart = iso.indexOf('T');
        if (timeStart < 0) {
            return false;
        }
        String time = iso.substring(timeStart);
        return time.endsWith("Z") || time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }

    private static double number(Path file, int line, int column, String columnName, String text)
            throws CsvFormatException {
        if (text.isEmpty()) {
            throw new CsvFormatException(file, line, column, columnName, "the value is missing");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new CsvFormatException(file, line, column, columnName, "'" + text + "' is not a number");
        }
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value)) {
            throw new CsvFormatException(file, line, column, columnName, "'" + text + "' is out of range");
        }
        return value;
    }
}
