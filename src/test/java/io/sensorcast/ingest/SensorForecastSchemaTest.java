package io.sensorcast.ingest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.sensorcast.anomaly.AnomalyScore;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SensorForecastSchemaTest {

    private static final String SAMPLE = """
            {"sensorId":"pump-7","ts":"2026-11-22T10:15:00Z","step":42,"modelVersion":3,
             "forecasts":[{"h":1,"ts":"2026-11-22T10:20:00Z","values":{"value":21.5}},
                          {"h":2,"ts":"2026-11-22T10:25:00Z","values":{"value":21.7}},
                          {"h":3,"ts":"2026-11-22T10:30:00Z","values":{"value":-0.5e1}}]}""";

    private static JsonSchema forecastSchema;

    @BeforeAll
    static void loadSchema() {
        forecastSchema = SensorEventSchemaTest.schema("/schemas/sensor-forecast.schema.json");
    }

    @Test
    void sampleForecastValidates() {
        assertThat(SensorEventSchemaTest.validate(forecastSchema, SAMPLE)).isEmpty();
    }

    @Test
    void forecastWithQuantilesAndAnomalyAsTheServiceWritesItValidates() {
        Forecast f = new Forecast("pump-7", 1_795_342_500_000L, 42, 3, new long[] {1_795_342_800_000L, 1_795_343_100_000L},
                new double[] {21.5, 30, 21.7, 31}, new double[] {0.05, 0.5, 0.95},
                new double[] {21, 29, 21.1, 30, 21.5, 30, 21.7, 31, 22, 31, 22.3, 32},
                new AnomalyScore(true, 0.73, true, "medium", 1, 9.5, "below", 20, 30, 28, 32));

        String json = new String(new ForecastJson(List.of("temp", "rh")).write(f), StandardCharsets.UTF_8);

        assertThat(json).contains("\"quantiles\":{\"0.05\":{\"temp\":21.0,\"rh\":29.0}")
                .contains("\"anomaly\":{\"score\":0.73,\"anomaly\":true,\"severity\":\"medium\",\"channel\":\"rh\"");
        assertThat(SensorEventSchemaTest.validate(forecastSchema, json)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "score    | 1.5",
            "severity | '\"dire\"'",
            "reason   | '\"sideways\"'",
            "surprise | -1"})
    void anomalyWithAWrongFieldIsInvalid(String field, String json) throws IOException {
        ObjectNode forecast = sample();
        ObjectNode anomaly = (ObjectNode) SensorEventSchemaTest.JSON.readTree("{\"score\":0.1,\"anomaly\":false,"
                + "\"severity\":\"none\",\"channel\":\"value\",\"surprise\":0.5,\"reason\":\"above\",\"actual\":22,"
                + "\"expected\":21.5,\"lower\":20.7,\"upper\":22.3}");
        forecast.set("anomaly", anomaly);
        assertThat(forecastSchema.validate(forecast)).isEmpty();

        anomaly.set(field.strip(), SensorEventSchemaTest.JSON.readTree(json));

        assertThat(forecastSchema.validate(forecast)).as(forecast.toString()).isNotEmpty();
    }

    @Test
    void multiChannelForecastWithOffsetTimeValidates() {
        String forecast = "{\"sensorId\":\"room-3\",\"ts\":\"2026-11-22T11:15:00+01:00\",\"step\":1,\"modelVersion\":0,"
                + "\"forecasts\":[{\"h\":1,\"ts\":\"2026-11-22T10:20:00Z\",\"values\":{\"temp\":21.5,\"rh\":40}}]}";

        assertThat(SensorEventSchemaTest.validate(forecastSchema, forecast)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sensorId", "/ts", "/step", "/modelVersion", "/forecasts",
            "/forecasts/1/h", "/forecasts/1/ts", "/forecasts/1/values"})
    void forecastMissingARequiredFieldIsInvalid(String pointer) {
        ObjectNode forecast = sample();
        JsonPointer path = JsonPointer.compile(pointer);
        ((ObjectNode) forecast.at(path.head())).remove(path.last().getMatchingProperty());

        assertThat(forecastSchema.validate(forecast)).as(forecast.toString()).isNotEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/forecasts           | []",
            "/forecasts           | {}",
            "/step                | -1",
            "/step                | 4.5",
            "/modelVersion        | '\"3\"'",
            "/sensorId            | '\"\"'",
            "/ts                  | 1795342500000",
            "/ts                  | '\"2026-11-22T10:15:00\"'",
            "/forecasts/0/h       | 0",
            "/forecasts/0/ts      | '\"soon\"'",
            "/forecasts/0/values  | {}",
            "/forecasts/0/values  | [21.5]",
            "/forecasts/0/values  | '{\"value\":null}'",
            "/forecasts/0/values  | '{\"value\":\"21.5\"}'"})
    void forecastWithAWrongFieldIsInvalid(String pointer, String json) throws IOException {
        ObjectNode forecast = sample();
        JsonPointer path = JsonPointer.compile(pointer.strip());
        ((ObjectNode) forecast.at(path.head())).set(path.last().getMatchingProperty(), SensorEventSchemaTest.JSON.readTree(json));

        assertThat(forecastSchema.validate(forecast)).as(forecast.toString()).isNotEmpty();
    }

    private static ObjectNode sample() {
        try {
            return (ObjectNode) SensorEventSchemaTest.JSON.readTree(SAMPLE);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
