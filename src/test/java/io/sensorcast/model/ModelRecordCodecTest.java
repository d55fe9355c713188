package io.sensorcast.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRecordCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 2\nmodel: {layers: [3]}");
    private final float[] parameters = {0.5f, -0.0f, Float.MIN_VALUE, -Float.MAX_VALUE, 1e-30f, 3.1415927f, 42f};
    private final ModelRecord record = ModelRecordCodec.of(TestModels.metadata(config, 7), parameters);

    private byte[] edited(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode envelope = (ObjectNode) JSON.readTree(ModelRecordCodec.encode(record));
        edit.accept(envelope);
        return JSON.writeValueAsBytes(envelope);
    }

    /** Raw float bits, so -0.0 and 0.0 count as different. */
    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    @Test
    void aDecodedRecordEqualsTheEncodedOneBitForBit() {
        ModelRecord decoded = ModelRecordCodec.decode(ModelRecordCodec.encode(record));
        assertThat(decoded.metadata()).isEqualTo(record.metadata());
        assertThat(decoded.sha256()).isEqualTo(record.sha256()).hasSize(64);
        assertThat(bits(decoded.parameters())).containsExactly(bits(parameters));
    }

    @Test
    void theChecksumIsOfTheParametersSoDifferentParametersGetDifferentChecksums() {
        float[] other = parameters.clone();
        other[3] = Math.nextUp(other[3]);
        assertThat(ModelRecordCodec.of(record.metadata(), other).sha256()).isNotEqualTo(record.sha256());
    }

    @Test
    void truncatedBytesAreRefusedAsNotValidJson() {
        byte[] bytes = ModelRecordCodec.encode(record);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 20);
        assertThatThrownBy(() -> ModelRecordCodec.decode(truncated)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("not valid JSON (truncated or corrupt?)");
        assertThatThrownBy(() -> ModelRecordCodec.decode(new byte[0])).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void anotherFormatNumberIsRefusedNamingTheFormat() throws IOException {
        byte[] format2 = edited(e -> e.put("format", 2).put("somethingNew", true));
        assertThatThrownBy(() -> ModelRecordCodec.decode(format2)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("format 2 is not supported (expected 1)");
        byte[] noFormat = edited(e -> e.remove("format"));
        assertThatThrownBy(() -> ModelRecordCodec.decode(noFormat)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("format null is not supported");
    }

    @Test
    void aDeclaredParameterCountThatDiffersFromThePayloadIsRefusedNamingBoth() throws IOException {
        byte[] bytes = edited(e -> e.put("parameterCount", parameters.length + 1));
        assertThatThrownBy(() -> ModelRecordCodec.decode(bytes)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("v7 declares 8 parameters but carries 7");
    }

    @Test
    void aChecksumThatDoesNotMatchTheParametersIsRefused() throws IOException {
        String otherSum = Checksums.sha256("something else".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = edited(e -> e.put("sha256", otherSum));
        assertThatThrownBy(() -> ModelRecordCodec.decode(bytes)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("v7 checksum mismatch: record says " + otherSum);
    }

    @Test
    void parametersCorruptedInsideTheBase64AreRefusedByTheChecksum() throws IOException {
        byte[] bytes = edited(e -> {
            char[] base64 = e.get("parameters").asText().toCharArray();
            int middle = base64.length / 2;
            base64[middle] = base64[middle] == 'A' ? 'B' : 'A';
            e.put("parameters", new String(base64));
        });
        assertThatThrownBy(() -> ModelRecordCodec.decode(bytes)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void parametersThatAreNotBase64OrAMissingPartAreRefusedSayingSo() throws IOException {
        byte[] notBase64 = edited(e -> e.put("parameters", "not base64 at all!"));
        assertThatThrownBy(() -> ModelRecordCodec.decode(notBase64)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("not base64");
        byte[] noMetadata = edited(e -> e.remove("metadata"));
        assertThatThrownBy(() -> ModelRecordCodec.decode(noMetadata)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("lacks metadata, parameters or checksum");
        assertThatThrownBy(() -> ModelRecordCodec.decode(null)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("no value");
    }
}
