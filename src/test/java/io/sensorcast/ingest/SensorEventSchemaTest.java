package io.sensorcast.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published event schema and the parser must agree on every event whose validity the schema can
 * express: structure, types, required fields, sensorId shape and the ts format. Rules that depend on
 * the pipeline configuration (channel names, value limits, key) are outside this corpus, and so
 * is ts "-00:00", which RFC 3339 allows and the parser reads as UTC but this validator rejects.
 */
class SensorEventSchemaTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    /** Format is only an annotation in 2020-12 unless asserted; the contract means it as a rule. */
    static final SchemaValidatorsConfig ASSERT_FORMATS = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private static JsonSchema eventSchema;
    private static final EventParser SINGLE = new EventParser(new ParserSettings(List.of("value")));
    private static final EventParser MULTI = new EventParser(new ParserSettings(List.of("temp", "rh")));

    @BeforeAll
    static void loadSchema() {
        eventSchema = schema("/schemas/sensor-event.schema.json");
    }

    /** Events the parser accepts with channels [value] or [temp, rh], whichever they use. */
    static final List<String> VALID = List.of(
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00Z\",\"value\":21.4}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T11:15:00+01:00\",\"value\":21.4}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00.123456Z\",\"value\":-3}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22t10:15:00z\",\"value\":0}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22 10:15:00Z\",\"value\":0}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00.123456789-18:00\",\"value\":0}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2024-02-29T10:15:00Z\",\"value\":0}",
            "{\"sensorId\":\"pump-7\",\"ts\":1795342500000,\"value\":21.4}",
            "{\"sensorId\":\"pump-7\",\"ts\":1795342500000.0,\"value\":21.4}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":1e-300}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"values\":{\"value\":21.4}}",
            "{\"sensorId\":\"room-3\",\"ts\":0,\"values\":{\"temp\":21.4,\"rh\":40.2}}",
            "{\"sensorId\":\"Zähler ü/7\",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\" pump-7 \",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"" + "\uD83D\uDE00".repeat(256) + "\",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"" + "a".repeat(256) + "\",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":1,\"fw\":\"1.2\",\"meta\":{\"tags\":[1,\"x\",null]}}");

    /** Events that break the contract in ways the schema can state. */
    static final List<String> INVALID = List.of(
            "[]",
            "\"pump-7\"",
            "42",
            "null",
            "{}",
            "{\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":0}",
            "{\"sensorId\":7,\"ts\":0,\"value\":1}",
            "{\"sensorId\":null,\"ts\":0,\"value\":1}",
            "{\"sensorId\":[\"pump-7\"],\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"\",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"   \",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"" + "a".repeat(257) + "\",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"pump\\n7\",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"pump-7\\u0000\",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"pump-7\\u0085\",\"ts\":0,\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"yesterday\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-13-22T10:15:00Z\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15Z\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"+12026-11-22T10:15:00Z\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00+01:00:30\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00+23:59\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00.Z\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00.1234567891Z\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T23:59:60Z\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":\"2026-02-29T10:15:00Z\",\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":-1,\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":1.5,\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":true,\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":null,\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":{\"ms\":0},\"value\":1}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":\"21.4\"}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":true}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":null}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":{\"v\":1}}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":[1]}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":1,\"values\":{\"value\":1}}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"values\":{}}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"values\":[21.4]}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"values\":21.4}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"values\":null}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"values\":{\"value\":\"21.4\"}}",
            "{\"sensorId\":\"pump-7\",\"ts\":0,\"values\":{\"value\":null}}",
            "{\"sensorId\":\"room-3\",\"ts\":0,\"values\":{\"temp\":21.4,\"rh\":[40.2]}}");

    @Test
    void everyEventTheParserAcceptsValidatesAgainstTheSchema() {
        List<String> disagreements = new ArrayList<>();
        for (String event : VALID) {
            boolean accepted = parserFor(event).parse(null, utf8(event)) instanceof ParseResult.Accepted;
            Set<ValidationMessage> errors = validate(eventSchema, event);
            if (!accepted || !errors.isEmpty()) {
                disagreements.add(event + " parser accepted=" + accepted + " schema errors=" + errors);
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void everyStructurallyInvalidEventFailsBothTheSchemaAndTheParser() {
        List<String> disagreements = new ArrayList<>();
        for (String event : INVALID) {
            ParseResult result = parserFor(event).parse(null, utf8(event));
            Set<ValidationMessage> errors = validate(eventSchema, event);
            if (!(result instanceof ParseResult.Rejected) || errors.isEmpty()) {
                disagreements.add(event + " parser=" + result + " schema errors=" + errors);
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void schemaExamplesAreValidAndAcceptedByTheParser() {
        JsonNode examples = read("/schemas/sensor-event.schema.json").get("examples");
        assertThat(examples).isNotEmpty();

        for (JsonNode example : examples) {
            String event = example.toString();
            assertThat(validate(eventSchema, event)).as(event).isEmpty();
            assertThat(parserFor(event).parse(null, utf8(event))).as(event).isInstanceOf(ParseResult.Accepted.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/schemas/sensor-event.schema.json", "/schemas/sensor-forecast.schema.json"})
    void schemaIsAValidDraft202012DocumentWithTitleAndDescription(String resource) {
        JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        JsonNode schema = read(resource);

        assertThat(metaSchema.validate(schema)).isEmpty();
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("title").asText()).isNotBlank();
        assertThat(schema.path("description").asText()).isNotBlank();
        assertThat(schema.path("examples")).isNotEmpty();
    }

    /** Events with "values" are for the two-channel pipeline unless they only carry "value". */
    private static EventParser parserFor(String event) {
        return event.contains("\"temp\"") || event.contains("\"rh\"") ? MULTI : SINGLE;
    }

    static JsonSchema schema(String resource) {
        try (InputStream in = SensorEventSchemaTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return FACTORY.getSchema(in, ASSERT_FORMATS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(String resource) {
        try (InputStream in = SensorEventSchemaTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<ValidationMessage> validate(JsonSchema schema, String json) {
        try {
            return schema.validate(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
