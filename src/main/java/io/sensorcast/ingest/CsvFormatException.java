package io.sensorcast.ingest;

import java.io.IOException;
import java.nio.file.Path;

/** A CSV time-series file that cannot be read: names the file, the 1-based line and, where known, the column. */
public final class CsvFormatException extends IOException {

    private final Path file;
    private final int line;
    private final int column;

    /**
     * @param column 1-based column, or 0 when the problem is with the line as a whole
     * @param columnName the header name of that column, or null
     */
    public CsvFormatException(Path file, int line, int column, String columnName, String problem) {
        super(file + ": line " + line
                + (column > 0 ? ", column " + column + (columnName == null ? "" : " (" + columnName + ")") : "")
                + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    /** The 1-based column, or 0 when the problem concerns the whole line. */
    public int column() {
        return column;
    }
}
