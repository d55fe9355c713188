package io.sensorcast.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ControlParserTest {

    private static final ControlParser PARSER = new ControlParser(new ParserSettings(List.of("value"), 4096, 1e12, 16));

    private static ControlParser.Result parse(String key, String json) {
        return PARSER.parse(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private static Rejection rejection(String key, String json) {
        ControlParser.Result result = parse(key, json);
        assertThat(result).as(json).isInstanceOf(ControlParser.Result.Rejected.class);
        return ((ControlParser.Result.Rejected) result).rejection();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            pump-7 | {"sensorId":"pump-7","action":"reset"}                         | RESET
            NULL   | {"sensorId":"pump-7","action":"forget"}                        | FORGET
            pump-7 | {"action":"forget","sensorId":"pump-7","by":"ops","n":[1,{}]}  | FORGET
            pump-7 | '  {"sensorId":"pump-7","action":"reset"}  '                   | RESET
            """)
    void aValidCommandIsAcceptedWithItsSensorActionAndBytes(String key, String json, ControlAction action) {
        ControlParser.Result result = parse(key, json);
        assertThat(result).isEqualTo(new ControlParser.Result.Accepted(new SensorControl("pump-7", action,
                json.getBytes(StandardCharsets.UTF_8))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            truncated JSON        | NULL   | {"sensorId":"a","action":"reset"                | MALFORMED_JSON   | not valid JSON
            a tombstone           | NULL   | NULL                                            | MALFORMED_JSON   | tombstone
            empty                 | NULL   | ''                                              | MALFORMED_JSON   | empty
            a string              | NULL   | '"reset"'                                       | MALFORMED_JSON   | got a string
            trailing content      | NULL   | {"sensorId":"a","action":"reset"} {}            | MALFORMED_JSON   | content after
            duplicate field       | NULL   | {"sensorId":"a","sensorId":"b","action":"reset"} | MALFORMED_JSON  | Duplicate field
            no sensorId           | NULL   | {"action":"reset"}                              | MISSING_FIELD    | sensorId is missing
            sensorId null         | NULL   | {"sensorId":null,"action":"reset"}              | INVALID_SENSOR_ID | got null
            blank sensorId        | NULL   | {"sensorId":"  ","action":"reset"}              | INVALID_SENSOR_ID | blank
            control character     | NULL   | {"sensorId":"a\\u0000b","action":"reset"}        | INVALID_SENSOR_ID | U+0000
            overlong sensorId     | NULL   | {"sensorId":"abcdefghijklmnopq","action":"reset"} | INVALID_SENSOR_ID | 17 characters long, above the limit of 16
            key of another sensor | b      | {"sensorId":"a","action":"reset"}               | KEY_MISMATCH     | record key "b" differs from sensorId "a"
            no action             | NULL   | {"sensorId":"a"}                                | MISSING_FIELD    | action is missing
            an unknown action     | NULL   | {"sensorId":"a","action":"purge"}               | UNKNOWN_ACTION   | "purge" is neither
            an action in capitals | NULL   | {"sensorId":"a","action":"Forget"}              | UNKNOWN_ACTION   | "Forget" is neither
            an action object      | NULL   | {"sensorId":"a","action":{"do":"reset"}}        | UNKNOWN_ACTION   | got an object
            """)
    void aBadCommandIsRejectedWithTheReasonAndADetailNamingTheField(String name, String key, String json,
                                                                   RejectReason reason, String detail) {
        Rejection rejection = rejection(key, json);
        assertThat(rejection.reason()).isEqualTo(reason);
        assertThat(rejection.detail()).contains(detail);
    }

    @Test
    void aPayloadAboveTheEventLimitIsRejectedBeforeItIsRead() {
        String json = "{\"sensorId\":\"a\",\"action\":\"reset\",\"pad\":\"" + "x".repeat(5000) + "\"}";
        assertThat(rejection(null, json).reason()).isEqualTo(RejectReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void theSensorIsCheckedBeforeTheKeyAndTheKeyBeforeTheAction() {
        assertThat(rejection("b", "{\"sensorId\":\"\",\"action\":\"x\"}").reason())
                .isEqualTo(RejectReason.INVALID_SENSOR_ID);
        assertThat(rejection("b", "{\"sensorId\":\"a\",\"action\":\"x\"}").reason())
                .isEqualTo(RejectReason.KEY_MISMATCH);
    }
}
