package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.topology.TopologyDescriptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** Prints the Kafka Streams topology a pipeline builds. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Print the topology description the pipeline builds (what topologies/*.topology.txt holds).")
final class TopologyCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        PipelineConfig pipeline = config.load();
        System.out.print(TopologyDescriptions.describe(pipeline));
        return 0;
    }
}
