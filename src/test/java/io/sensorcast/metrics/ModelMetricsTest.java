package io.sensorcast.metrics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ModelMetricsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "model v3 has NaN or infinite weights | non_finite",
            "record v2 on maintenance-models has NaN or infinite parameters | non_finite",
            "model /srv/financial/models/x-v4.zip: checksum does not match its metadata | checksum",
            "record v5 on maintenance-models: checksum mismatch | checksum",
            "model v6 on maintenance-models: layer 0 shape [4, 64] does not fit [5, 64] | shape",
            "record v7 from financial-models is truncated | corrupt",
            "record v8 from maintenance-models could not be read | other",
    })
    void refusalReasonComesFromWholeWordsNotFromNamesInsideTheMessage(String message, String code) {
        assertThat(ModelMetrics.reasonCode(message)).isEqualTo(code);
    }
}
