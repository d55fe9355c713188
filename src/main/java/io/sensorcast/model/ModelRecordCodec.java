package io.sensorcast.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * The model topic's record format: a JSON envelope (readable with any tool) holding the metadata, the
 * parameter count, the SHA-256 of the parameter bytes and the parameters as base64 of little-endian float32.
 * Decoding verifies format, length and checksum; anything else is an {@link InvalidModelException}.
 */
public final class ModelRecordCodec {

    /** Current envelope format. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Envelope(int format, ModelMetadata metadata, int parameterCount, String sha256, String parameters) {
    }

    private ModelRecordCodec() {
    }

    /** A record for these parameters, with their checksum computed. */
    public static ModelRecord of(ModelMetadata metadata, float[] parameters) {
        return new ModelRecord(metadata, Checksums.sha256(toBytes(parameters)), parameters.clone());
    }

    public static byte[] encode(ModelRecord record) {
        try {
            return JSON.writeValueAsBytes(new Envelope(FORMAT, record.metadata(), record.parameters().length,
                    record.sha256(), Base64.getEncoder().encodeToString(toBytes(record.parameters()))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode model record", e);
        }
    }

    public static ModelRecord decode(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidModelException("model record has no value");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidModelException("model record is not valid JSON (truncated or corrupt?): "
                    + firstLine(e), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidModelException("model record is not a JSON object (empty or corrupt?)");
        }
        // The format is checked before binding: another format may well have other fields.
        JsonNode format = tree.get("format");
        if (format == null || !format.isInt() || format.intValue() != FORMAT) {
            throw new InvalidModelException("model record format " + format + " is not supported (expected "
                    + FORMAT + ")");
        }
        Envelope envelope;
        try {
            envelope = JSON.treeToValue(tree, Envelope.class);
        } catch (IOException e) {
            throw new InvalidModelException("model record is not a valid format " + FORMAT + " envelope: "
                    + firstLine(e), e);
        }
        if (envelope.metadata() == null || envelope.parameters() == null || envelope.sha256() == null) {
            throw new InvalidModelException("model record lacks metadata, parameters or checksum");
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(envelope.parameters());
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException("model record parameters are not base64", e);
        }
        if (payload.length != 4L * envelope.parameterCount()) {
            throw new InvalidModelException("model record v" + envelope.metadata().version() + " declares "
                    + envelope.parameterCount() + " parameters but carries " + payload.length / 4);
        }
        String actual = Checksums.sha256(payload);
        if (!actual.equalsIgnoreCase(envelope.sha256())) {
            throw new InvalidModelException("model record v" + envelope.metadata().version()
                    + " checksum mismatch: record says " + envelope.sha256() + ", parameters hash to " + actual);
        }
        float[] parameters = new float[envelope.parameterCount()];
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(parameters);
        return new ModelRecord(envelope.metadata(), envelope.sha256(), parameters);
    }

    /** Jackson's message without the source excerpt it appends on further lines, so a log entry stays one line. */
    private static String firstLine(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    private static byte[] toBytes(float[] parameters) {
        ByteBuffer buffer = ByteBuffer.allocate(parameters.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(parameters);
        return buffer.array();
    }
}
