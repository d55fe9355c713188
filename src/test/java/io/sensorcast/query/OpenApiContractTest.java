package io.sensorcast.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.config.QuerySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/openapi.yaml and the implemented API agree: the same paths, parameters and statuses, and answers fit it. */
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OPENAPI = Path.of("docs/openapi.yaml");
    private static final PipelineConfig CONFIG = PipelineConfigLoader.parse("channels: [temp, rh]\nhorizon: 2\n");

    private final FakeCluster cluster = new FakeCluster(2);
    private ApiInstance api;
    private JsonNode spec;

    @BeforeEach
    void start() throws IOException {
        spec = new ObjectMapper(new YAMLFactory()).readTree(OPENAPI.toFile());
        api = new ApiInstance(CONFIG, new QuerySettings("", 1000, 20, 1), cluster);
        cluster.assign(0, api.self, null);
        cluster.assign(1, api.self, null);
        Sensors sensors = new Sensors(CONFIG);
        cluster.put("pump-1", sensors.advance("pump-1", 30).state());
        cluster.put("pump-2", sensors.advance("pump-2", 1).state());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theDocumentedPathsAreExactlyTheImplementedEndpoints() {
        Set<String> documented = new TreeSet<>();
        spec.get("paths").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).isEqualTo(new TreeSet<>(SensorQueryHandler.ENDPOINTS.values()));
        for (Map.Entry<String, String> endpoint : SensorQueryHandler.ENDPOINTS.entrySet()) {
            String concrete = endpoint.getValue().replace("{id}", "pump-1");
            assertThat(SensorQueryHandler.endpointOf(concrete)).as(concrete).isEqualTo(endpoint.getKey());
            Set<String> methods = new HashSet<>();
            spec.get("paths").get(endpoint.getValue()).fieldNames().forEachRemaining(methods::add);
            assertThat(methods).as("operations of %s", endpoint.getValue()).containsExactly("get");
            assertThat(api.get(concrete).statusCode()).as(concrete).isEqualTo(200);
        }
    }

    @Test
    void theDocumentedQueryParametersAreExactlyTheAcceptedOnes() {
        Set<String> documented = new TreeSet<>();
        spec.at("/paths/~1sensors/get/parameters").forEach(p -> {
            assertThat(p.get("in").asText()).isEqualTo("query");
            documented.add(p.get("name").asText());
        });
        assertThat(documented).isEqualTo(new TreeSet<>(SensorQueryHandler.LIST_PARAMETERS));
        JsonNode idParameters = spec.at("/paths/~1sensors~1{id}/get/parameters");
        assertThat(idParameters).hasSize(1);
        assertThat(idParameters.get(0).get("in").asText()).isEqualTo("path");
    }

    @Test
    void everyAnswerFitsTheSchemaOfItsDocumentedStatus() throws IOException {
        Map<String, String> requests = new TreeMap<>();
        requests.put("/sensors/pump-1", "/sensors/{id} 200");
        requests.put("/sensors/pump-2", "/sensors/{id} 200");
        requests.put("/sensors/%00", "/sensors/{id} 400");
        requests.put("/sensors/nobody", "/sensors/{id} 404");
        requests.put("/sensors?limit=1", "/sensors 200");
        requests.put("/sensors?prefix=pump-&limit=5", "/sensors 200");
        requests.put("/sensors?limit=0", "/sensors 400");
        for (Map.Entry<String, String> r : requests.entrySet()) {
            HttpResponse<String> response = api.get(r.getKey());
            String[] route = r.getValue().split(" ");
            assertThat(Integer.toString(response.statusCode())).as(r.getKey()).isEqualTo(route[1]);
            assertFits(route[0], response.statusCode(), response.body());
        }
        cluster.rebalancing(true);
        assertFits("/sensors/{id}", 503, api.get("/sensors/pump-1").body());
        assertFits("/sensors", 503, api.get("/sensors").body());
        HttpResponse<String> post = api.send("POST", "/sensors");
        assertThat(post.statusCode()).isEqualTo(405);
        assertFits("/sensors", 405, post.body());
        // Not vacuous: an error body does not pass for a sensor.
        assertThat(validator(spec.at("/components/schemas/Sensor")).validate(JSON.readTree(post.body()))).isNotEmpty();
    }

    private void assertFits(String path, int status, String body) throws IOException {
        JsonNode response = spec.get("paths").get(path).get("get").get("responses").get(Integer.toString(status));
        assertThat(response).as("%s documents status %d", path, status).isNotNull();
        if (response.has("$ref")) {
            response = spec.at(response.get("$ref").asText().substring(1));
        }
        JsonNode schema = response.at("/content/application~1json/schema");
        Set<ValidationMessage> problems = validator(schema).validate(JSON.readTree(body));
        assertThat(problems).as("%s %d: %s", path, status, body).isEmpty();
    }

    /** A JSON Schema of {@code schema} that resolves the document's components and the forecast topic's schema. */
    private JsonSchema validator(JsonNode schema) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.setAll((ObjectNode) schema);
        root.set("components", spec.get("components"));
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .schemaMappers(m -> m.mapPrefix("https://sensorcast.io/schemas/", "classpath:schemas/")));
        return factory.getSchema(root, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }
}
