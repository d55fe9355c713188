package io.sensorcast.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Saves and loads models as a DL4J zip ({@link ModelSerializer}, no updater state) plus a JSON metadata
 * file beside it ({@code name-vN.zip} and {@code name-vN.json}). Loading verifies the zip's SHA-256.
 */
public final class ModelFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A DL4J network with its metadata, as read from disk or a model record. */
    public record LoadedModel(MultiLayerNetwork network, ModelMetadata metadata) {
    }

    private ModelFiles() {
    }

    /** The metadata file that belongs to a model zip. */
    public static Path metadataPath(Path zip) {
        String name = zip.getFileName().toString();
        String base = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return zip.resolveSibling(base + ".json");
    }

    /** The file name of a model version in a models directory. */
    public static Path versionPath(Path directory, String name, long version) {
        return directory.resolve(name + "-v" + version + ".zip");
    }

    /** The DL4J zip bytes of a network (weights and configuration, no updater state). */
    public static byte[] toBytes(MultiLayerNetwork network) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(network, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise network", e);
        }
    }

    /** Restores a network from DL4J zip bytes, refusing bytes whose checksum differs from {@code sha256}. */
    public static MultiLayerNetwork fromBytes(byte[] zip, String sha256) {
        String actual = Checksums.sha256(zip);
        if (sha256 == null || !sha256.equalsIgnoreCase(actual)) {
            throw new InvalidModelException("model checksum mismatch: metadata says " + sha256 + ", payload is " + actual);
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException("model payload is truncated or corrupt: not a readable DL4J network ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Writes the zip and its metadata (with the zip's checksum filled in); returns the metadata written. */
    public static ModelMetadata save(MultiLayerNetwork network, ModelMetadata metadata, Path zip) {
        byte[] bytes = toBytes(network);
        ModelMetadata withSum = metadata.withSha256(Checksums.sha256(bytes));
        try {
            if (zip.getParent() != null) {
                Files.createDirectories(zip.getParent());
            }
            // Write both to temporary names first so a crash never leaves a zip without metadata.
            Path tmpZip = zip.resolveSibling(zip.getFileName() + ".tmp");
            Path meta = metadataPath(zip);
            Path tmpMeta = meta.resolveSibling(meta.getFileName() + ".tmp");
            Files.write(tmpZip, bytes);
            JSON.writeValue(tmpMeta.toFile(), withSum);
            Files.move(tmpZip, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpMeta, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write model " + zip + ": " + e.getMessage(), e);
        }
        return withSum;
    }

    /** Reads a model zip and its metadata, verifying the checksum. */
    public static LoadedModel load(Path zip) {
        Path meta = metadataPath(zip);
        if (!Files.isRegularFile(zip)) {
            throw new InvalidModelException("model file not found: " + zip);
        }
        if (!Files.isRegularFile(meta)) {
            throw new InvalidModelException("model metadata not found: " + meta);
        }
        ModelMetadata metadata;
        try {
            metadata = JSON.readValue(meta.toFile(), ModelMetadata.class);
        } catch (IOException e) {
            throw new InvalidModelException("model metadata " + meta + " is truncated or corrupt: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        try {
            return new LoadedModel(fromBytes(Files.readAllBytes(zip), metadata.sha256()), metadata);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read model " + zip + ": " + e.getMessage(), e);
        }
    }

    /** Parses a metadata JSON document. */
    public static ModelMetadata readMetadata(byte[] json) {
        try {
            return JSON.readValue(json, ModelMetadata.class);
        } catch (IOException e) {
            throw new InvalidModelException("model metadata is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Serialises metadata as JSON. */
    public static byte[] writeMetadata(ModelMetadata metadata) {
        try {
            return JSON.writeValueAsBytes(metadata);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise model metadata", e);
        }
    }

    /** The highest-versioned {@code name-vN.zip} in {@code directory}, if any. */
    public static Optional<Path> newestVersion(Path directory, String name) {
        return versionsNewestFirst(directory, name).stream().findFirst();
    }

    /** Every {@code name-vN.zip} in {@code directory}, highest version first; empty without the directory. */
    public static List<Path> versionsNewestFirst(Path directory, String name) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        Pattern pattern = Pattern.compile(Pattern.quote(name) + "-v(\\d+)\\.zip");
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> pattern.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong((Path p) -> {
                        Matcher m = pattern.matcher(p.getFileName().toString());
                        // A version too long for a long sorts last rather than failing the whole listing.
                        try {
                            return m.matches() ? Long.parseLong(m.group(1)) : -1L;
                        } catch (NumberFormatException e) {
                            return -1L;
                        }
                    }).reversed())
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list models in " + directory, e);
        }
    }
}
