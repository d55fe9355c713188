package io.sensorcast.cli;

import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.model.ModelTopic;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.NabData;
import io.sensorcast.testing.NeedsNabData;
import io.sensorcast.testing.SecuredKafkaBroker.ScramUser;
import io.sensorcast.testing.SecuredKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sensorcast run} as its own process, exactly as deployed, against a broker whose client listener demands
 * SASL_SSL with SCRAM-SHA-512: it serves with the right credentials, and stops at start with a clear message and a
 * non-zero exit status with wrong ones. The right-credentials run logs at DEBUG for every logger, so the
 * secret-leak checks see everything Kafka's clients and the service would print.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
@NeedsNabData
class SaslAuthenticationTest {

    private static final String PASSWORD = "pw-canary-9Xq2Lm7Rt";
    private static final String WRONG_PASSWORD = "wrong-canary-4Hd8Ks1Vz";
    private static final ScramUser USER = new ScramUser("sensorcast", PASSWORD);
    private static final String PAYLOAD = "payload-canary-c0ffee42";
    private static final String SERIES = "realTraffic/speed_7578.csv";
    private static final int EVENTS = 40;
    private static final Pattern METRICS_PORT = Pattern.compile("metrics on port (\\d+)");

    // Every logger at DEBUG, Kafka's authentication and network layers at TRACE: configuration dumps, connection
    // and login details are all included.
    private static final String DEBUG_LOGGING = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <Console name="console" target="SYSTEM_ERR">
                  <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c - %msg%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="org.apache.kafka.common.security" level="TRACE"/>
                <Logger name="org.apache.kafka.common.network" level="TRACE"/>
                <Root level="DEBUG"><AppenderRef ref="console"/></Root>
              </Loggers>
            </Configuration>
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    @RegisterExtension
    static final KafkaBrokerExtension<SecuredKafkaBroker> KAFKA =
            KafkaBrokerExtension.of(() -> SecuredKafkaBroker.startWithScramOverTls(2, USER));

    private SecuredKafkaBroker broker;
    private Path dir;

    /** What the right-credentials run left behind. */
    private List<ConsumerRecord<String, String>> forecasts;
    private List<ConsumerRecord<String, String>> deadLetters;
    private String metrics;
    private String health;
    private int exitStatus;
    private String output;

    @BeforeAll
    void runTheServiceWithTheRightCredentials(@TempDir Path tmp) throws Exception {
        dir = tmp;
        broker = KAFKA.broker();
        broker.createTopics(Map.of("sensor-events", 2, "sensor-forecasts", 2, "sensor-events.dlq", 1, "sensor-anomalies", 1,
                "sensor-control", 2));
        broker.createTopics(Map.of("forecast-models", 1), ModelTopic.topicConfigs());
        Path logging = Files.writeString(dir.resolve("debug-log4j2.xml"), DEBUG_LOGGING);

        Path log = dir.resolve("right.log");
        Process service = start(pipeline("right", PASSWORD), log, "-Dlog4j2.configurationFile=" + logging.toUri());
        try {
            int metricsPort = awaitMetricsPort(service, log);
            produceEventsWithCanaries();
            forecasts = read("sensor-forecasts", EVENTS);
            deadLetters = read("sensor-events.dlq", 1);
            metrics = get(metricsPort, "/metrics");
            health = get(metricsPort, "/health/live") + get(metricsPort, "/health/ready");
        } finally {
            service.destroy();
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("service stops on SIGTERM").isTrue();
        }
        exitStatus = service.exitValue();
        output = Files.readString(log);
    }


    @Test
    void serviceWithTheRightCredentialsForecastsEveryEventAndStopsCleanly() {
        assertThat(forecasts).as(output).hasSize(EVENTS);
        assertThat(forecasts).extracting(ConsumerRecord::key).containsOnly("speed_7578");
        assertThat(deadLetters).hasSize(1);
        assertThat(health).isEqualTo("live\nready\n");
        assertThat(exitStatus).isZero();
    }

    @Test
    void logsMetricsAndHealthShowNeitherThePasswordNorEventPayloads() {
        // The log really holds the client configuration dumps and the service's own settings line...
        assertThat(output).contains("sasl.jaas.config = [hidden]")
                .contains("sasl.jaas.config=[redacted]")
                .contains("org.apache.kafka.common.security.authenticator.SaslClientAuthenticator")
                .contains("Running pipeline 'sasl-test'");
        // ...and yet neither the password nor any part of an event's value.
        for (String text : List.of(output, metrics, health)) {
            assertThat(text).doesNotContain(PASSWORD).doesNotContain(PAYLOAD);
        }
        assertThat(metrics).contains("sensorcast_forecasts_out_total");
    }

    @Test
    void printedConfigurationHidesThePassword() throws Exception {
        Path config = pipeline("printed", PASSWORD);
        Path out = dir.resolve("config.out");

        Process print = new ProcessBuilder(command(List.of(), "config", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();

        assertThat(print.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(out);
        assertThat(print.exitValue()).as(printed).isZero();
        assertThat(printed).contains("sasl.jaas.config: \"[redacted]\"").contains("sasl.mechanism: \"SCRAM-SHA-512\"").contains("security.protocol: \"SASL_SSL\"")
                .contains("processing.guarantee: \"exactly_once_v2\"").doesNotContain(PASSWORD);
    }

    @Test
    void credentialsFromEnvironmentReferencesAsTheHelmChartWritesThemReachTheBroker() throws Exception {
        // The chart's form: the pipeline file holds only ${env:...} references that Kafka's EnvVarConfigProvider
        // resolves; every client the service builds must keep the provider settings to resolve them.
        String security = broker.saslSslClientProperties(USER).entrySet().stream()
                .map(e -> e.getKey().equals("sasl.jaas.config")
                        ? Map.entry(e.getKey(), "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"${env:KAFKA_SASL_USERNAME}\" password=\"${env:KAFKA_SASL_PASSWORD}\";")
                        : e)
                .map(e -> "  " + e.getKey() + ": '" + e.getValue() + "'\n").sorted().collect(Collectors.joining())
                + "  config.providers: env\n"
                + "  config.providers.env.class: org.apache.kafka.common.config.provider.EnvVarConfigProvider\n";
        Path config = Files.writeString(dir.resolve("env.yaml"), pipelineYaml("env", security));
        Path log = dir.resolve("env.log");
        ProcessBuilder builder = new ProcessBuilder(command(List.of(), "run", "--config", config.toString(), "--role",
                "serve", "--start-timeout", "90")).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KAFKA_SASL_USERNAME", USER.username());
        builder.environment().put("KAFKA_SASL_PASSWORD", PASSWORD);

        Process service = builder.start();
        try {
            int metricsPort = awaitMetricsPort(service, log);
            assertThat(get(metricsPort, "/health/ready")).isEqualTo("ready\n");
        } finally {
            service.destroy();
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("service stops on SIGTERM").isTrue();
        }
        String text = Files.readString(log);
        assertThat(service.exitValue()).as(text).isZero();
        assertThat(text).doesNotContain(PASSWORD);
    }

    @Test
    void wrongPasswordStopsRunAtStartWithAClearErrorAndANonZeroExit() throws Exception {
        Path log = dir.resolve("wrong.log");
        long startedNs = System.nanoTime();

        Process service = start(pipeline("wrong", WRONG_PASSWORD), log);

        boolean exited = service.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            service.destroyForcibly();
        }
        String text = Files.readString(log);
        assertThat(exited).as("run exits by itself: " + text).isTrue();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNs);
        assertThat(service.exitValue()).as(text).isEqualTo(2);
        assertThat(text).contains("sensorcast: kafka.sasl.jaas.config: the cluster at " + broker.bootstrapServers()
                + " refused the SCRAM-SHA-512 credentials").doesNotContain(WRONG_PASSWORD);
        // JVM start and model loading included; the refusal itself takes well under a second.
        assertThat(seconds).isLessThan(60);
    }

    @Test
    void runRefusingAMissingTopicAfterConnectingStillExitsNonZero() throws Exception {
        Path log = dir.resolve("missing-topic.log");
        Path config = Files.writeString(dir.resolve("missing-topic.yaml"), Files.readString(pipeline("missing", PASSWORD))
                .replace("events: sensor-events", "events: no-such-topic"));

        Process service = start(config, log);

        assertThat(service.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log);
        assertThat(service.exitValue()).as(text).isEqualTo(2);
        assertThat(text).contains("topics.events: topic 'no-such-topic' does not exist");
    }

    private Path pipeline(String name, String password) throws IOException {
        String security = broker.saslSslClientProperties(new ScramUser(USER.username(), password)).entrySet().stream()
                .map(e -> "  " + e.getKey() + ": '" + e.getValue() + "'\n").sorted().collect(Collectors.joining());
        return Files.writeString(dir.resolve(name + ".yaml"), pipelineYaml(name, security));
    }

    private String pipelineYaml(String name, String security) {
        return """
                name: sasl-test
                kafka:
                  bootstrap.servers: %s
                %s  state.dir: %s
                topics:
                  events: sensor-events
                model:
                  path: %s
                  directory: %s
                training:
                  enabled: false
                metrics:
                  host: 127.0.0.1
                  port: 0
                """.formatted(broker.bootstrapServers(), security, dir.resolve(name + "-state"),
                Path.of("models/bootstrap.zip").toAbsolutePath(), dir.resolve(name + "-models"));
    }

    private Process start(Path config, Path log, String... jvmOptions) throws IOException {
        return new ProcessBuilder(command(List.of(jvmOptions), "run", "--config", config.toString(), "--role", "serve",
                "--start-timeout", "90"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The application's classpath without the test classes, so the shipped log4j2.xml applies unless overridden. */
    private static List<String> command(List<String> jvmOptions, String... args) {
        String classpath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes/"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", classpath));
        command.addAll(jvmOptions);
        command.add(SensorcastCli.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    private static int awaitMetricsPort(Process service, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = METRICS_PORT.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!service.isAlive()) {
                throw new AssertionError("run exited with " + service.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run did not report RUNNING within 120 s");
    }

    // Unknown fields are ignored by the parser, so the canary rides along in every valid event's value.
    private void produceEventsWithCanaries() throws Exception {
        CsvSeries series = NabData.series(SERIES);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientProperties(),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                String event = series.toEventJson(i).replaceFirst("\\{", "{\"note\":\"" + PAYLOAD + "\",");
                producer.send(new ProducerRecord<>("sensor-events", series.name(), event));
            }
            producer.send(new ProducerRecord<>("sensor-events", series.name(), "{\"note\":\"" + PAYLOAD + "\", broken"))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private List<ConsumerRecord<String, String>> read(String topic, int expected) {
        Map<String, Object> props = clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-test-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // A short extra poll would reveal duplicates.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(broker.saslSslClientProperties(USER));
        props.put("bootstrap.servers", broker.bootstrapServers());
        return props;
    }

    private String get(int port, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return response.body();
    }
}
