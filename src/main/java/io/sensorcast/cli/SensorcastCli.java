package io.sensorcast.cli;

import io.sensorcast.config.ConfigException;
import io.sensorcast.model.InvalidModelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sensorcast} command line: run, demo, topology, bootstrap. */
@Command(name = "sensorcast", mixinStandardHelpOptions = true, version = "sensorcast 0.1.0",
        description = "Real-time per-sensor recurrent forecasting on Kafka Streams.",
        subcommands = {RunCommand.class, DemoCommand.class, TopologyCommand.class, BootstrapCommand.class,
                ReplayCommand.class, SimulateCommand.class, ConfigCommand.class,
                CommandLine.HelpCommand.class})
public final class SensorcastCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (tests execute it in-process). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SensorcastCli());
        // Configuration and model problems are the user's to fix: print the message, not a stack trace.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException
                    || e instanceof InvalidModelException) {
                commandLine.getErr().println("sensorcast: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }
}
