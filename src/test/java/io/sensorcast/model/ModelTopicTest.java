package io.sensorcast.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.metrics.ModelMetrics;
import io.sensorcast.recurrent.WeightSnapshots;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.TestModels;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** Publishing models to the model topic and applying them on service instances, against a real broker. */
@IntegrationTest
class ModelTopicTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain();

    @TempDir
    Path dir;

    /** A fresh model topic, created as the service needs it. */
    private static String newTopic() {
        String topic = "models-" + TOPICS.incrementAndGet();
        KAFKA.broker().createTopics(Map.of(topic, 1), ModelTopic.topicConfigs());
        return topic;
    }

    private PipelineConfig pipeline(String name, String topic, String layers, Path models) {
        return PipelineConfigLoader.parse("name: " + name + "\nhorizon: 2\ntopics: {models: " + topic + "}\n"
                        + "model: {layers: " + layers + ", directory: " + models + ", path: "
                        + dir.resolve("bootstrap/bootstrap.zip") + "}")
                .withKafka(Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers()));
    }

    private PipelineConfig pipeline(String topic) {
        return pipeline("plant", topic, "[4]", dir.resolve("models"));
    }

    private static ModelRecord record(PipelineConfig config, long version, long seed) {
        return ModelRecordCodec.of(TestModels.metadata(config, version),
                WeightSnapshots.toFlatParams(TestModels.randomWeights(ModelShapes.specOf(config), seed)));
    }

    private static ModelRegistry registryAt(PipelineConfig config, long version) {
        return new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, version, 1000 + version));
    }

    private static void publish(PipelineConfig config, ModelRecord... records) {
        try (ModelPublisher publisher = new ModelPublisher(config)) {
            for (ModelRecord r : records) {
                publisher.publish(r);
            }
        }
    }

    /** Writes raw bytes, bypassing the publisher's checks, as a broken or hostile writer would. */
    private static void sendRaw(String topic, String key, byte[]... values) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, key, value));
            }
            producer.flush();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + WAIT.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static double refusedCount(SimpleMeterRegistry meters, String reason) {
        return meters.get("sensorcast.model.refused").tag("reason", reason).counter().count();
    }

    private static float[] served(ModelRegistry registry) {
        return WeightSnapshots.toFlatParams(registry.current().weights());
    }

    @Test
    void publishedVersionsAreSwappedInInOrderAndEachIsSavedToTheModelsDirectory() throws Exception {
        PipelineConfig config = pipeline(newTopic());
        ModelRegistry registry = registryAt(config, 1);
        List<Long> swaps = new CopyOnWriteArrayList<>();
        registry.onSwap(m -> swaps.add(m.version()));
        ModelRecord v2 = record(config, 2, 2);
        ModelRecord v3 = record(config, 3, 3);
        try (ModelUpdates updates = new ModelUpdates(config, registry)) {
            updates.start();
            publish(config, v2, v3);
            await(() -> updates.appliedCount() == 2, "v2 and v3 are applied");
            assertThat(updates.refusedCount()).isZero();
        }
        assertThat(swaps).containsExactly(2L, 3L);
        assertThat(registry.current().version()).isEqualTo(3);
        assertThat(served(registry)).containsExactly(v3.parameters());
        Path models = dir.resolve("models");
        for (ModelRecord r : List.of(v2, v3)) {
            long version = r.metadata().version();
            ServingModel saved = ModelSources.toServing(ModelFiles.load(ModelFiles.versionPath(models, "plant", version)));
            assertThat(saved.version()).isEqualTo(version);
            assertThat(WeightSnapshots.toFlatParams(saved.weights())).containsExactly(r.parameters());
        }
    }

    @Test
    void latestReturnsTheNewestValidVersionForItsModelNameAndIgnoresOtherNamesAndBrokenRecords() {
        String topic = newTopic();
        PipelineConfig plant = pipeline(topic);
        PipelineConfig other = pipeline("other", topic, "[4]", dir.resolve("other"));
        ModelRecord v5 = record(plant, 5, 5);
        publish(plant, record(plant, 2, 2), v5, record(plant, 3, 3));
        publish(other, record(other, 9, 9));
        float[] nan = record(plant, 8, 8).parameters();
        nan[0] = Float.NaN;
        sendRaw(topic, "plant", "{\"format\": 1, \"metad".getBytes(StandardCharsets.UTF_8),
                ModelRecordCodec.encode(ModelRecordCodec.of(TestModels.metadata(plant, 8), nan)));

        Optional<ModelRecord> newest = ModelUpdates.latest(plant, WAIT);
        assertThat(newest).isPresent();
        assertThat(newest.get().metadata().version()).isEqualTo(5);
        assertThat(newest.get().parameters()).containsExactly(v5.parameters());
        assertThat(ModelUpdates.latest(other, WAIT)).get().extracting(r -> r.metadata().version()).isEqualTo(9L);
        PipelineConfig nobody = pipeline("nobody", topic, "[4]", dir.resolve("nobody"));
        assertThat(ModelUpdates.latest(nobody, WAIT)).isEmpty();
    }

    @Test
    void latestOfAMissingTopicIsEmptyAndDoesNotCreateTheTopic() throws Exception {
        PipelineConfig config = pipeline("never-created");
        assertThat(ModelUpdates.latest(config, WAIT)).isEmpty();
        // The broker would auto-create it in the background (uncompacted), so watch for a while.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers()))) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("never-created");
                Thread.sleep(100);
            }
        }
    }

    @Test
    void latestOfAnUnreachableClusterFailsWithinItsTimeoutNamingTheTopic() {
        PipelineConfig config = pipeline(newTopic()).withKafka(Map.of("bootstrap.servers", "127.0.0.1:1"));
        long started = System.nanoTime();
        assertThatThrownBy(() -> ModelUpdates.latest(config, Duration.ofSeconds(2)))
                .isInstanceOf(ModelTopicException.class).hasMessageContaining("cannot read model topic 'models-");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void brokenForeignAndPoisonedRecordsAreRefusedCountedAndTheServingModelStays() throws Exception {
        String topic = newTopic();
        PipelineConfig config = pipeline(topic);
        ModelRegistry registry = registryAt(config, 1);
        List<String> reasons = new CopyOnWriteArrayList<>();
        ModelRecord v2 = record(config, 2, 2);
        // Every refused record claims a newer version, so it would serve if it were not refused.
        byte[] good7 = ModelRecordCodec.encode(record(config, 7, 7));
        byte[] truncated = Arrays.copyOf(good7, good7.length / 2);
        ObjectNode flipped = (ObjectNode) JSON.readTree(good7);
        char[] base64 = flipped.get("parameters").asText().toCharArray();
        base64[base64.length / 2] = base64[base64.length / 2] == 'A' ? 'B' : 'A';
        flipped.put("parameters", new String(base64));
        ObjectNode wrongSum = ((ObjectNode) JSON.readTree(good7))
                .put("sha256", Checksums.sha256("x".getBytes(StandardCharsets.UTF_8)));
        PipelineConfig wider = pipeline("plant", topic, "[5]", dir.resolve("wider"));
        byte[] otherShape = ModelRecordCodec.encode(record(wider, 7, 7));
        float[] nan = record(config, 7, 7).parameters();
        nan[nan.length - 1] = Float.NaN;
        byte[] poisoned = ModelRecordCodec.encode(ModelRecordCodec.of(TestModels.metadata(config, 7), nan));

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelMetrics metrics = new ModelMetrics(meters, registry);
        try (ModelUpdates updates = new ModelUpdates(config, registry)) {
            updates.onRefused(reasons::add);
            // The same wiring as service.ServiceRuntime: each refusal counted under its reason code.
            updates.onRefused(reason -> metrics.refused(ModelMetrics.reasonCode(reason)));
            updates.start();
            publish(config, v2);
            await(() -> updates.appliedCount() == 1, "v2 is applied");
            sendRaw(topic, "plant", truncated, JSON.writeValueAsBytes(flipped), JSON.writeValueAsBytes(wrongSum),
                    otherShape, poisoned);
            await(() -> updates.refusedCount() == 5, "all five bad records are refused");
            assertThat(Map.of("corrupt", refusedCount(meters, "corrupt"), "checksum", refusedCount(meters, "checksum"),
                    "shape", refusedCount(meters, "shape"), "non_finite", refusedCount(meters, "non_finite"),
                    "other", refusedCount(meters, "other")))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("corrupt", 1.0, "checksum", 2.0, "shape", 1.0,
                            "non_finite", 1.0, "other", 0.0));
            assertThat(meters.get("sensorcast.model.version").gauge().value()).isEqualTo(2.0);
            assertThat(registry.current().version()).isEqualTo(2);
            assertThat(served(registry)).containsExactly(v2.parameters());
            assertThat(reasons).hasSize(5);
            assertThat(reasons.get(0)).startsWith(topic + "-0@1: ").contains("not valid JSON");
            assertThat(reasons.get(1)).contains("checksum mismatch");
            assertThat(reasons.get(2)).contains("checksum mismatch");
            assertThat(reasons.get(3)).contains("does not fit").contains("layers [5] != model.layers [4]");
            assertThat(reasons.get(4)).contains("NaN");

            // The reading thread survives refusals: a valid newer model still gets through.
            ModelRecord v3 = record(config, 3, 3);
            publish(config, v3);
            await(() -> updates.appliedCount() == 2, "v3 is applied after the refusals");
            assertThat(served(registry)).containsExactly(v3.parameters());
            assertThat(updates.refusedCount()).isEqualTo(5);
        }
        assertThat(ModelFiles.versionPath(dir.resolve("models"), "plant", 7)).doesNotExist();
    }

    @Test
    void anOlderVersionPublishedAfterANewerOneDoesNotDowngrade() throws Exception {
        PipelineConfig config = pipeline(newTopic());
        ModelRegistry registry = registryAt(config, 1);
        List<Long> swaps = new CopyOnWriteArrayList<>();
        registry.onSwap(m -> swaps.add(m.version()));
        try (ModelUpdates updates = new ModelUpdates(config, registry)) {
            updates.start();
            publish(config, record(config, 4, 4));
            await(() -> updates.appliedCount() == 1, "v4 is applied");
            // v5 comes after v2 on the same partition, so once v5 serves, v2 has been read and passed over.
            publish(config, record(config, 2, 2), record(config, 5, 5));
            await(() -> updates.appliedCount() == 2, "v5 is applied");
            assertThat(updates.refusedCount()).isZero();
        }
        assertThat(swaps).containsExactly(4L, 5L);
        assertThat(ModelFiles.versionPath(dir.resolve("models"), "plant", 2)).doesNotExist();
    }

    @Test
    void twoInstancesEachConvergeToTheLatestVersionAndSaveIt() throws Exception {
        String topic = newTopic();
        PipelineConfig first = pipeline("plant", topic, "[4]", dir.resolve("a"));
        PipelineConfig second = pipeline("plant", topic, "[4]", dir.resolve("b"));
        ModelRegistry a = registryAt(first, 1);
        ModelRegistry b = registryAt(second, 1);
        ModelRecord v4 = record(first, 4, 4);
        try (ModelUpdates updatesA = new ModelUpdates(first, a); ModelUpdates updatesB = new ModelUpdates(second, b)) {
            updatesA.start();
            updatesB.start();
            publish(first, record(first, 2, 2), record(first, 3, 3), v4);
            await(() -> a.current().version() == 4 && b.current().version() == 4
                    && updatesA.appliedCount() == 3 && updatesB.appliedCount() == 3, "both instances serve v4");
        }
        assertThat(served(a)).containsExactly(v4.parameters());
        assertThat(served(b)).containsExactly(v4.parameters());
        assertThat(ModelFiles.versionPath(dir.resolve("a"), "plant", 4)).exists();
        assertThat(ModelFiles.versionPath(dir.resolve("b"), "plant", 4)).exists();
    }

    @Test
    void aNewInstanceStartsWithTheTopicsNewestModelThenTheDirectoryThenTheBootstrapModel() throws Exception {
        String topic = newTopic();
        PipelineConfig config = pipeline(topic);
        ModelFiles.save(ModelRecords.toNetwork(record(config, 1, 1), ModelShapes.specOf(config)),
                TestModels.metadata(config, 1), dir.resolve("bootstrap/bootstrap.zip"));
        assertThat(ModelSources.initialServing(config, ModelUpdates.latest(config, WAIT)).version()).isEqualTo(1);

        ModelRecord v2 = record(config, 2, 2);
        ModelFiles.save(ModelRecords.toNetwork(v2, ModelShapes.specOf(config)), v2.metadata(),
                ModelFiles.versionPath(dir.resolve("models"), "plant", 2));
        assertThat(ModelSources.initialServing(config, ModelUpdates.latest(config, WAIT)).version()).isEqualTo(2);

        ModelRecord v6 = record(config, 6, 6);
        publish(config, record(config, 3, 3), v6);
        ServingModel initial = ModelSources.initialServing(config, ModelUpdates.latest(config, WAIT));
        assertThat(initial.version()).isEqualTo(6);
        assertThat(WeightSnapshots.toFlatParams(initial.weights())).containsExactly(v6.parameters());

        // Following the topic from there replays v3 and v6 without swapping, then takes what comes next.
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), initial);
        List<Long> swaps = new CopyOnWriteArrayList<>();
        registry.onSwap(m -> swaps.add(m.version()));
        try (ModelUpdates updates = new ModelUpdates(config, registry)) {
            updates.start();
            publish(config, record(config, 7, 7));
            await(() -> updates.appliedCount() == 1, "v7 is applied");
        }
        assertThat(swaps).containsExactly(7L);
    }

    @Test
    void aTopicRecordThatDoesNotFitIsPassedOverForTheModelsDirectory() {
        PipelineConfig config = pipeline("unused");
        ModelRecord v2 = record(config, 2, 2);
        ModelFiles.save(ModelRecords.toNetwork(v2, ModelShapes.specOf(config)), v2.metadata(),
                ModelFiles.versionPath(dir.resolve("models"), "plant", 2));
        PipelineConfig wider = pipeline("plant", "unused", "[5]", dir.resolve("wider"));
        assertThat(ModelSources.initialServing(config, Optional.of(record(wider, 9, 9))).version()).isEqualTo(2);
    }

    @Test
    void updatesStartedBeforeTheTopicExistsPickUpModelsOnceItIsCreated() throws Exception {
        String topic = "models-late-" + TOPICS.incrementAndGet();
        PipelineConfig config = pipeline(topic);
        ModelRegistry registry = registryAt(config, 1);
        try (ModelUpdates updates = new ModelUpdates(config, registry)) {
            updates.start();
            Thread.sleep(500);
            KAFKA.broker().createTopics(Map.of(topic, 1), ModelTopic.topicConfigs());
            publish(config, record(config, 2, 2));
            await(() -> updates.appliedCount() == 1, "v2 is applied");
        }
        assertThat(registry.current().version()).isEqualTo(2);
    }

    @Test
    void closeInterruptsAWaitingPollAndReturnsPromptly() throws Exception {
        PipelineConfig config = pipeline(newTopic());
        ModelUpdates updates = new ModelUpdates(config, registryAt(config, 1));
        updates.start();
        publish(config, record(config, 2, 2));
        await(() -> updates.appliedCount() == 1, "v2 is applied");
        Thread.sleep(300);
        long started = System.nanoTime();
        updates.close();
        // An idle poll waits 10 s; only a wakeup ends it sooner.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("sensorcast-model-updates"));
    }

    @Test
    void aModelAboveKafkasDefaultMessageSizeIsPublishedAndReadOnATopicWithTheModelTopicConfigs() {
        String topic = newTopic();
        PipelineConfig big = pipeline("plant", topic, "[256]", dir.resolve("big"));
        ModelRecord record = record(big, 2, 2);
        assertThat(ModelRecordCodec.encode(record).length).isGreaterThan(1_048_588);
        publish(big, record);
        assertThat(ModelUpdates.latest(big, WAIT)).get().extracting(ModelRecord::parameters)
                .isEqualTo(record.parameters());

        String defaults = "models-default-" + TOPICS.incrementAndGet();
        KAFKA.broker().createTopics(Map.of(defaults, 1),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        PipelineConfig onDefaults = pipeline("plant", defaults, "[256]", dir.resolve("big"));
        assertThatThrownBy(() -> publish(onDefaults, record)).isInstanceOf(ModelTopicException.class)
                .hasMessageContaining("cannot publish model v2 of 'plant'")
                .hasMessageContaining("max.message.bytes must be at least the record size");
    }

    @Test
    void thePublisherRefusesARecordEveryInstanceWouldRefuseAndSendsNothing() {
        PipelineConfig config = pipeline(newTopic());
        float[] nan = record(config, 2, 2).parameters();
        nan[1] = Float.NaN;
        ModelRecord poisoned = ModelRecordCodec.of(TestModels.metadata(config, 2), nan);
        assertThatThrownBy(() -> publish(config, poisoned)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("NaN");
        PipelineConfig other = pipeline("other", config.topics().models(), "[4]", dir.resolve("other"));
        assertThatThrownBy(() -> publish(other, record(config, 2, 2))).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("is for model 'plant'");
        assertThat(ModelUpdates.latest(config, WAIT)).isEmpty();
        assertThat(ModelUpdates.latest(other, WAIT)).isEmpty();
    }

    @Test
    void modelFilesOfAppliedVersionsLetARestartWithoutTheTopicFindTheNewest() throws Exception {
        PipelineConfig config = pipeline(newTopic());
        ModelRecord v3 = record(config, 3, 3);
        try (ModelUpdates updates = new ModelUpdates(config, registryAt(config, 1))) {
            updates.start();
            publish(config, record(config, 2, 2), v3);
            await(() -> updates.appliedCount() == 2, "v2 and v3 are applied");
        }
        assertThat(Files.exists(dir.resolve("bootstrap/bootstrap.zip"))).isFalse();
        ServingModel restarted = ModelSources.initialServing(config, Optional.empty());
        assertThat(restarted.version()).isEqualTo(3);
        assertThat(WeightSnapshots.toFlatParams(restarted.weights())).containsExactly(v3.parameters());
    }
}
