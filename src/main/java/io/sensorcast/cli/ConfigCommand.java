package io.sensorcast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.sensorcast.config.ConfigKeys;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.SecretRedaction;
import io.sensorcast.topology.StreamsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Prints the configuration a pipeline runs with (defaults filled in, Kafka secrets redacted), or every key's declaration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective pipeline configuration as YAML: every default filled in, kafka: as the"
                + " service passes it to Kafka Streams, passwords and JAAS configurations shown as "
                + SecretRedaction.REDACTED + ". With --describe, list every key instead.")
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--describe",
            description = "List every key with its type, default, allowed values and meaning (docs/configuration.md).")
    boolean describe;

    @Override
    public Integer call() throws Exception {
        System.out.print(describe ? ConfigKeys.referenceTable() : render(config.load()));
        return 0;
    }

    static String render(PipelineConfig pipeline) throws JsonProcessingException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        ObjectNode tree = yaml.valueToTree(pipeline);
        Map<String, String> kafka = new TreeMap<>();
        StreamsSettings.of(pipeline).forEach((k, v) -> kafka.put(k.toString(), v.toString()));
        tree.set("kafka", yaml.valueToTree(SecretRedaction.redact(kafka)));
        return yaml.writeValueAsString(tree);
    }
}
