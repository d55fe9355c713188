package io.sensorcast.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The manifests `helm template` renders from helm/sensorcast with some --set values, parsed. */
record RenderedChart(List<JsonNode> manifests) {

    static final Path CHART = Path.of("helm/sensorcast");
    static final String RELEASE = "sc";
    static final String NAMESPACE = "forecasting";
    static final String FULLNAME = "sc-sensorcast";
    // Without a cluster, helm template assumes an old Kubernetes that the chart's kubeVersion refuses.
    static final String KUBE_VERSION = "v1.30.0";

    // Duplicate keys are legal-looking YAML that Kubernetes resolves silently: refuse them here.
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Renders with these {@code key=value} settings (as {@code --set}); throws what Helm reports. */
    static RenderedChart render(String... settings) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            template = template.set(setting.substring(0, eq), setting.substring(eq + 1));
        }
        return parse(template.call());
    }

    static RenderedChart parse(String yaml) {
        List<JsonNode> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    manifests.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm rendered invalid YAML:\n" + yaml, e);
        }
        return new RenderedChart(manifests);
    }

    Set<String> kinds() {
        Set<String> kinds = new TreeSet<>();
        manifests.forEach(m -> kinds.add(m.path("kind").asText()));
        return kinds;
    }

    List<JsonNode> ofKind(String kind) {
        return manifests.stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
    }

    JsonNode get(String kind, String name) {
        List<JsonNode> found = ofKind(kind).stream()
                .filter(m -> m.path("metadata").path("name").asText().equals(name)).toList();
        assertThat(found).as("%s %s in %s", kind, name, kinds()).hasSize(1);
        return found.get(0);
    }

    /** The pipeline file the pods read, from the pipeline ConfigMap. */
    String pipelineYaml() {
        return get("ConfigMap", FULLNAME + "-pipeline").path("data").path("pipeline.yaml").asText();
    }

    JsonNode pipeline() {
        try {
            return YAML.readTree(pipelineYaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode statefulSet() {
        return get("StatefulSet", FULLNAME);
    }

    JsonNode trainer() {
        return get("Deployment", FULLNAME + "-trainer");
    }

    static JsonNode container(JsonNode workload) {
        JsonNode containers = workload.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static List<String> args(JsonNode workload) {
        List<String> args = new ArrayList<>();
        container(workload).path("args").forEach(a -> args.add(a.asText()));
        return args;
    }
}
