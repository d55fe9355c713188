package io.sensorcast.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A command-line tool some tests check files with (promtool, docker-compose). A missing tool fails the
 * test, never skips it: a skipped check would pass CI without checking anything.
 */
public record ExternalTool(String command, String debianPackage) {

    public static final ExternalTool PROMTOOL = new ExternalTool("promtool", "prometheus");
    public static final ExternalTool DOCKER_COMPOSE = new ExternalTool("docker-compose", "docker-compose");

    /** What a run printed (stdout and stderr interleaved) and how it exited. */
    public record Result(int exitCode, String output) {
    }

    /** Runs the tool with these arguments in the working directory and waits up to a minute. */
    public Result run(String... args) {
        return run(null, args);
    }

    /** Runs the tool with {@code input} on its standard input (e.g. {@code promtool check metrics}). */
    public Result runWithInput(String input, String... args) {
        return run(input, args);
    }

    /** Where the tool is installed; fails the test, naming the package, when it is not. */
    public Path path() {
        return locate().orElseGet(() -> fail(command + " is not installed, so this check cannot run."
                + " Run .ci/run (it installs it) or: apt-get install -y --no-install-recommends " + debianPackage));
    }

    private Result run(String input, String... args) {
        List<String> commandLine = new ArrayList<>(List.of(path().toString()));
        commandLine.addAll(List.of(args));
        try {
            // Output goes to a file so that a tool that hangs cannot block the read past the time limit.
            Path output = Files.createTempFile(command, ".out");
            Path stdin = input == null ? null : Files.writeString(Files.createTempFile(command, ".in"), input);
            try {
                Process process = new ProcessBuilder(commandLine).redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(stdin == null ? new File("/dev/null") : stdin.toFile()))
                        .start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return fail(String.join(" ", commandLine) + " did not finish within 60 s");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
                if (stdin != null) {
                    Files.deleteIfExists(stdin);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Optional<Path> locate() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
