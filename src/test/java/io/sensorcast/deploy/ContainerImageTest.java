package io.sensorcast.deploy;

import io.sensorcast.config.PipelineConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs here, so the image is checked where it meets the rest: the files it copies
 * from the build context, the user the chart requires, and the paths the pipelines point into.
 */
class ContainerImageTest {

    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path DOCKERIGNORE = Path.of(".dockerignore");
    private static final Pattern COPY_FROM_CONTEXT = Pattern.compile("(?m)^COPY\\s+(?!--from)(\\S+)\\s+(\\S+)\\s*$");

    @Test
    void imageUserIsTheUserTheChartRunsAs() throws IOException {
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)(?::(\\d+))?\\s*$").matcher(Files.readString(DOCKERFILE));
        assertThat(user.find()).as("a numeric USER, so runAsNonRoot can verify it").isTrue();
        JsonNode values = RenderedChart.YAML.readTree(RenderedChart.CHART.resolve("values.yaml").toFile());
        assertThat(values.path("podSecurityContext").path("runAsUser").asText()).isEqualTo(user.group(1));
        assertThat(values.path("securityContext").path("runAsUser").asText()).isEqualTo(user.group(1));
        assertThat(values.path("podSecurityContext").path("fsGroup").asText()).isEqualTo(user.group(2));
    }

    @Test
    void everyFileCopiedFromTheBuildContextExistsAndPassesTheDockerignore() throws IOException {
        List<String> sources = new ArrayList<>();
        Matcher copy = COPY_FROM_CONTEXT.matcher(Files.readString(DOCKERFILE));
        while (copy.find()) {
            sources.add(copy.group(1));
        }
        assertThat(sources).contains("pom.xml", ".mvn/", "src/main/", "models/");
        List<String> ignore = Files.readAllLines(DOCKERIGNORE).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String source : sources) {
            Path path = Path.of(source);
            assertThat(path).exists();
            if (Files.isDirectory(path)) {
                try (var files = Files.walk(path)) {
                    files.filter(Files::isRegularFile).forEach(f ->
                            assertThat(ignored(ignore, f)).as("%s is excluded by .dockerignore", f).isFalse());
                }
            } else {
                assertThat(ignored(ignore, path)).as("%s is excluded by .dockerignore", path).isFalse();
            }
        }
        assertThat(ignored(ignore, Path.of("target/sensorcast.jar"))).as("build output stays out of the context").isTrue();
        assertThat(ignored(ignore, Path.of("src/test/java/Foo.java"))).isTrue();
    }

    @Test
    void bootstrapModelTheChartPointsAtIsShippedInTheImage() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile).containsPattern("(?m)^COPY models/ /app/models/$");
        String modelPath = RenderedChart.render().pipeline().path("model").path("path").asText();
        assertThat(modelPath).startsWith("/app/models/");
        assertThat(Path.of("models", modelPath.substring("/app/models/".length()))).isRegularFile();
        assertThat(PipelineConfigLoader.parse(Files.readString(Path.of("helm/sensorcast/files/compose/pipeline.yaml")))
                .model().path()).isEqualTo(modelPath);
    }

    @Test
    void entrypointBoundsTheHeapEnablesTheVectorLoopsAndRunsTheJarWithTheDefaultPipeline() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile).containsPattern("(?m)^FROM maven:3-eclipse-temurin-17 AS build$")
                .containsPattern("(?m)^FROM eclipse-temurin:17-jre$")
                .containsPattern("(?m)^RUN java --list-modules \\| grep -q '\\^jdk\\.incubator\\.vector@'")
                .containsPattern("(?m)^ENTRYPOINT \\[\"java\", \"--add-modules\", \"jdk.incubator.vector\", \"-Xmx1g\", "
                        + ".*\"-jar\", \"/app/sensorcast.jar\"]$")
                .containsPattern("(?m)^CMD \\[\"run\", \"--config\", \"/etc/sensorcast/pipeline.yaml\", \"--role\", \"all\"]$")
                .contains("COPY --from=build /build/target/lib/ /app/lib/")
                .contains("COPY --from=build /build/target/sensorcast.jar /app/sensorcast.jar");
    }

    /**
     * Docker's rule: patterns apply in order, the last one matching the path or one of its parent
     * directories decides, and '!' lets a path back in.
     */
    private static boolean ignored(List<String> patterns, Path file) {
        boolean ignored = false;
        for (String line : patterns) {
            boolean negate = line.startsWith("!");
            String glob = (negate ? line.substring(1) : line).replaceAll("/+$", "");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            for (Path p = file.normalize(); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    ignored = !negate;
                    break;
                }
            }
        }
        return ignored;
    }
}
