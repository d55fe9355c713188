package io.sensorcast;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sensorcast.ingest.EventJsonWriter;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingConfigurationTest {

    private static final String PROBE = """
            public class LoggingProbe {
                public static void main(String[] loggers) {
                    var config = ((org.apache.logging.log4j.core.LoggerContext)
                            org.apache.logging.log4j.LogManager.getContext(false)).getConfiguration();
                    System.out.println(config.getConfigurationSource().getLocation());
                    for (String logger : loggers) {
                        System.out.println(logger + "=" + config.getLoggerConfig(logger).getLevel());
                    }
                }
            }
            """;

    @Test
    void testsLogOnlyWarningsIncludingOurOwnCode() {
        Configuration config = ((LoggerContext) LogManager.getContext(false)).getConfiguration();

        assertThat(config.getConfigurationSource().getLocation()).endsWith("log4j2-test.xml");
        assertThat(config.getLoggerConfig("io.sensorcast.demo").getLevel()).isEqualTo(Level.WARN);
        assertThat(config.getLoggerConfig("org.apache.kafka.clients").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void applicationUsesItsXmlConfigurationDespiteTheKafkaTestKitsYaml(@TempDir Path dir) throws Exception {
        // Log4j falls back to the system class loader, which holds the test classes, so this needs its own JVM.
        // Its classpath is the application's, minus tests: our resources, Log4j, Jackson YAML (which switches on
        // Log4j's YAML support) and the Kafka test kit with the log4j2.yaml it carries.
        String classpath = Stream.of(EventJsonWriter.class, LogManager.class, LoggerContext.class, YAMLFactory.class,
                        Yaml.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class, KafkaClusterTestKit.class)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation().getPath())
                .distinct()
                .collect(Collectors.joining(File.pathSeparator));
        Path probe = Files.writeString(dir.resolve("LoggingProbe.java"), PROBE);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        Process process = new ProcessBuilder(java.toString(), "-cp", classpath, probe.toString(),
                "io.sensorcast.demo", "org.apache.kafka.clients", "kafka.server", "org.deeplearning4j.nn", "org.nd4j.linalg")
                .redirectErrorStream(true)
                .start();
        List<String> output;
        try (var out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as("probe output").hasSize(6);
        assertThat(output.get(0)).endsWith("classes/log4j2.xml");
        assertThat(output.subList(1, 6)).containsExactly(
                "io.sensorcast.demo=INFO", "org.apache.kafka.clients=WARN", "kafka.server=WARN",
                "org.deeplearning4j.nn=WARN", "org.nd4j.linalg=WARN");
    }
}
