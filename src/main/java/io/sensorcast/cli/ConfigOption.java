package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --config} option shared by every command. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "topologies/sensorcast.yaml",
            description = "Pipeline YAML (default: ${DEFAULT-VALUE}).")
    Path file;

    PipelineConfig load() {
        return PipelineConfigLoader.load(file);
    }
}
