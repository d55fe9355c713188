package io.sensorcast.ingest;

import io.sensorcast.testing.NeedsNabData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class CsvSeriesTest {

    // The pom sets sensorcast.shared.dir for surefire and failsafe; run elsewhere, shared/ sits beside the project.
    private static final Path NAB = Path.of(System.getProperty("sensorcast.shared.dir", "../shared"), "data", "nab");

    private static List<CsvSeries> nab;

    @TempDir
    Path dir;

    // Reading all fourteen files takes most of a second, so the tests that only look share one reading.
    private static synchronized List<CsvSeries> nab() throws IOException {
        if (nab == null) {
            nab = CsvSeries.readDirectory(NAB);
        }
        return nab;
    }

    private static CsvSeries nabSeries(String name) throws IOException {
        return nab().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private Path write(String fileName, String content) throws IOException {
        Path file = dir.resolve(fileName);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    @NeedsNabData
    void readsAllFourteenNabSeriesWithTheReadmesRowCounts() throws IOException {
        List<CsvSeries> series = nab();

        // Rows are the files' lines minus the header; several files lack a final newline.
        Map<String, Integer> rows = series.stream().collect(Collectors.toMap(CsvSeries::name, CsvSeries::size));
        assertThat(rows).containsOnly(
                entry("ec2_cpu_utilization_5f5533", 4032),
                entry("ec2_cpu_utilization_825cc2", 4032),
                entry("ec2_network_in_257a54", 4032),
                entry("elb_request_count_8c0756", 4032),
                entry("rds_cpu_utilization_cc0c53", 4032),
                entry("ambient_temperature_system_failure", 7267),
                entry("machine_temperature_system_failure", 22695),
                entry("TravelTime_387", 2500),
                entry("TravelTime_451", 2162),
                entry("occupancy_6005", 2380),
                entry("occupancy_t4013", 2500),
                entry("speed_6005", 2500),
                entry("speed_7578", 1127),
                entry("speed_t4013", 2495));
        assertThat(series).allSatisfy(s -> assertThat(s.channels()).containsExactly("value"));
    }

    @Test
    @NeedsNabData
    void readDirectoryWalksSubfoldersInSortedOrder() throws IOException {
        List<CsvSeries> series = nab();

        assertThat(series).extracting(CsvSeries::name).startsWith(
                "ec2_cpu_utilization_5f5533", "ec2_cpu_utilization_825cc2", "ec2_network_in_257a54",
                "elb_request_count_8c0756", "rds_cpu_utilization_cc0c53",
                "ambient_temperature_system_failure", "machine_temperature_system_failure",
                "TravelTime_387");
    }

    @Test
    @NeedsNabData
    void wallClockTimestampsAreReadAsUtc() throws IOException {
        CsvSeries machine = nabSeries("machine_temperature_system_failure");

        assertThat(machine.timestampMs(0)).isEqualTo(Instant.parse("2013-12-02T21:15:00Z").toEpochMilli());
        assertThat(machine.value(0, 0)).isEqualTo(73.96732207);
    }

    @Test
    @NeedsNabData
    void keepsRowsInFileOrderWhenRealTimestampsStepBack() throws IOException {
        CsvSeries machine = nabSeries("machine_temperature_system_failure");

        // File line 10151 is 2014-01-07 02:00:00, right after 02:55:00: a real clock step the service must survive.
        int row = 10151 - 2;
        assertThat(machine.timestampMs(row)).isEqualTo(Instant.parse("2014-01-07T02:00:00Z").toEpochMilli());
        assertThat(machine.timestampMs(row - 1)).isEqualTo(Instant.parse("2014-01-07T02:55:00Z").toEpochMilli());
    }

    @Test
    void readsIsoAndEpochTimestampsAndSeveralChannels() throws IOException {
        Path file = write("room.csv", """
                timestamp,temp,rh
                2026-11-22T10:15:00Z,21.4,40.2
                2026-11-22T11:15:00+01:00,21.5,40
                2026-11-22T10:20:00,-0.5,4e1
                1795400400000,21.7,"39.5"
                """);

        CsvSeries room = CsvSeries.read(file);

        assertThat(room.name()).isEqualTo("room");
        assertThat(room.channels()).containsExactly("temp", "rh");
        assertThat(room.timestampsMs()).containsExactly(
                Instant.parse("2026-11-22T10:15:00Z").toEpochMilli(),
                Instant.parse("2026-11-22T10:15:00Z").toEpochMilli(),
                Instant.parse("2026-11-22T10:20:00Z").toEpochMilli(),
                1795400400000L);
        assertThat(room.values()).isDeepEqualTo(new double[][] {{21.4, 40.2}, {21.5, 40}, {-0.5, 40}, {21.7, 39.5}});
    }

    @Test
    void toleratesWindowsLineEndsAByteOrderMarkAndBlankLines() throws IOException {
        Path file = write("crlf.csv", "\uFEFFtimestamp,value\r\n2026-11-22 10:15:00,1.5\r\n\r\n2026-11-22 10:20:00,2\r\n\r\n");

        CsvSeries series = CsvSeries.read(file);

        assertThat(series.channels()).containsExactly("value");
        assertThat(series.values()).isDeepEqualTo(new double[][] {{1.5}, {2}});
    }

    @Test
    void rejectsANonNumericValueNamingFileLineAndColumn() throws IOException {
        Path file = write("broken.csv", """
                timestamp,value
                2026-11-22 10:15:00,21.4
                2026-11-22 10:20:00,abc
                """);

        assertThatThrownBy(() -> CsvSeries.read(file))
                .isInstanceOfSatisfying(CsvFormatException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(2);
                })
                .hasMessageContaining("broken.csv")
                .hasMessageContaining("line 3, column 2 (value)")
                .hasMessageContaining("'abc' is not a number");
    }

    @Test
    void rejectsAnUnreadableTimestampNamingLineAndColumn() throws IOException {
        Path file = write("late.csv", """
                timestamp,value
                2026-11-22 10:15:00,21.4
                2026-11-22 10:20:00,21.5
                22/11/2026 10:25,21.6
                """);

        assertThatThrownBy(() -> CsvSeries.read(file))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("late.csv: line 4, column 1 (timestamp): '22/11/2026 10:25' is not a timestamp");
    }

    @Test
    void rejectsARowWithTheWrongNumberOfColumns() throws IOException {
        Path file = write("wide.csv", "timestamp,value\n2026-11-22 10:15:00,21.4,7\n");

        assertThatThrownBy(() -> CsvSeries.read(file))
                .isInstanceOfSatisfying(CsvFormatException.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessageContaining("line 2: expected 2 columns as in the header but found 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "1.5d", "0x1p3", "1e999", "", "1,5"})
    void rejectsValuesThatAreNotPlainFiniteDecimals(String value) throws IOException {
        Path file = write("odd.csv", "timestamp,value\n2026-11-22 10:15:00,1\n2026-11-22 10:20:00," + value + "\n");

        assertThatThrownBy(() -> CsvSeries.read(file))
                .isInstanceOfSatisfying(CsvFormatException.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessageContaining("odd.csv: line 3");
    }

    @Test
    void rejectsAHeaderWithoutAValueColumn() throws IOException {
        Path file = write("narrow.csv", "timestamp\n2026-11-22 10:15:00\n");

        assertThatThrownBy(() -> CsvSeries.read(file))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void rejectsTwoFilesThatWouldBeTheSameSensor() throws IOException {
        write("a/pump.csv", "timestamp,value\n2026-11-22 10:15:00,1\n");
        write("b/pump.csv", "timestamp,value\n2026-11-22 10:15:00,2\n");

        assertThatThrownBy(() -> CsvSeries.readDirectory(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("pump");
    }

    @Test
    @NeedsNabData
    void rendersARowAsAnEventWithTheSeriesNameAsSensorId() throws IOException {
        CsvSeries machine = nabSeries("machine_temperature_system_failure");

        assertThat(machine.toEventJson(0)).isEqualTo(
                "{\"sensorId\":\"machine_temperature_system_failure\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":73.96732207}");
    }

    @Test
    void rendersAMultiChannelRowWithAValuesObject() throws IOException {
        CsvSeries room = CsvSeries.read(write("room-5.csv", "timestamp,temp,rh\n2026-11-22 10:15:00,21.4,40.2\n"));

        assertThat(room.toEventJson(0)).isEqualTo(
                "{\"sensorId\":\"room-5\",\"ts\":\"2026-11-22T10:15:00Z\",\"values\":{\"temp\":21.4,\"rh\":40.2}}");
    }

    @Test
    void isImmutable() {
        long[] timestamps = {1, 2};
        double[][] values = {{1}, {2}};
        CsvSeries series = new CsvSeries("s", List.of("value"), timestamps, values);

        timestamps[0] = 99;
        values[0][0] = 99;
        series.values()[1][0] = 99;
        series.timestampsMs()[1] = 99;

        assertThat(series.timestampsMs()).containsExactly(1, 2);
        assertThat(series.values()).isDeepEqualTo(new double[][] {{1}, {2}});
    }
}
