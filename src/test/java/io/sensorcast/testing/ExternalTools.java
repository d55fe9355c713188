package io.sensorcast.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds and runs the command-line tools some tests need (installed by .ci/run), failing clearly when absent. */
public final class ExternalTools {

    private ExternalTools() {
    }

    /** The tool's path; fails the test with how to install it when it is missing. */
    public static Path require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(tool + " is not installed: run `bash .ci/run` or `apt-get install -y "
                + debianPackage + "`");
    }

    /** Output and exit code of a finished command. */
    public record Result(int exitCode, String output) {
    }

    public static Result run(List<String> command, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
