package io.sensorcast.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.forecast.LatestForecast;
import io.sensorcast.state.SensorState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The JSON answers of the query API about sensors (docs/openapi.yaml): one sensor in full, or its summary in a
 * listing. Non-finite numbers (a statistic not learnt yet) are written as null, which JSON can carry.
 */
public final class SensorView {

    static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> channels;
    private final LatestForecast latest;
    private final ForecastJson forecastJson;
    private final int intervalWindow;

    public SensorView(PipelineConfig config) {
        this.channels = config.channels();
        this.latest = new LatestForecast(config);
        this.forecastJson = new ForecastJson(config.channels());
        this.intervalWindow = config.forecast().intervalWindow();
    }

    /** Everything the state tells about the sensor, and which copy on which instance answered. */
    public ObjectNode full(String sensorId, SensorState state, StoreAccess.Copy copy, String instance) {
        ObjectNode root = summary(sensorId, state);
        root.put("servedBy", copy == StoreAccess.Copy.ACTIVE ? "active" : "standby");
        root.put("instance", instance);
        root.set("lastValues", perChannel(state.lastValues, state.channels()));
        number(root, "cadenceSeconds", state.cadenceMs > 0 ? state.cadenceMs / 1000.0 : Double.NaN);
        ObjectNode normalisation = root.putObject("normalisation");
        for (int ch = 0; ch < Math.min(state.channels(), channels.size()); ch++) {
            ObjectNode stats = normalisation.putObject(channels.get(ch));
            number(stats, "mean", state.mean[ch]);
            number(stats, "std", state.std(ch));
        }
        root.set("forecast", latest.of(sensorId, state).map(f -> read(forecastJson.write(f)))
                .orElse(JSON.nullNode()));
        root.set("error", errors(state));
        root.put("anomalyActive", state.anomalyActive);
        return root;
    }

    /** The sensor in a listing: id, step, last event time, model version. */
    public ObjectNode summary(String sensorId, SensorState state) {
        ObjectNode root = JSON.createObjectNode();
        root.put("sensorId", sensorId);
        root.put("step", state.step);
        if (state.step > 0) {
            root.put("lastTimestamp", Instant.ofEpochMilli(state.lastTimestampMs).toString());
        } else {
            root.putNull("lastTimestamp");
        }
        root.put("modelVersion", state.modelVersion);
        return root;
    }

    /**
     * Per horizon: the learnt mean absolute error of the published point forecast and, over the same outcomes and
     * weights, persistence's (over about forecast.intervalWindow events), and over the outcomes still in the state's ring of the last K steps, the mean absolute error of the
     * forecast and of persistence (every future value forecast as the value at forecast time).
     */
    private ObjectNode errors(SensorState state) {
        ObjectNode error = JSON.createObjectNode();
        error.put("window", intervalWindow);
        ArrayNode horizons = error.putArray("horizons");
        int c = state.channels();
        int horizon = state.horizon();
        int size = horizon * c;
        if (c != channels.size() || state.errorSpread.length != 2 * size) {
            return error;
        }
        long n = state.step;
        for (int k = 1; k <= horizon; k++) {
            ObjectNode h = horizons.addObject();
            h.put("h", k);
            ObjectNode mae = h.putObject("mae");
            ObjectNode rollingPersistence = h.putObject("persistenceMae");
            ObjectNode recentMae = JSON.createObjectNode();
            ObjectNode persistenceMae = JSON.createObjectNode();
            int outcomes = 0;
            for (int ch = 0; ch < c; ch++) {
                int i = (k - 1) * c + ch;
                double weight = state.errorSpread[size + i];
                number(mae, channels.get(ch), weight > 0 ? state.errorSpread[i] / weight : Double.NaN);
                number(rollingPersistence, channels.get(ch),
                        weight > 0 ? state.persistenceSpread[i] / weight : Double.NaN);
                double model = 0;
                double persistence = 0;
                int count = 0;
                // Target step t's value is the outcome of step t - k's forecast; both must still be in the ring.
                for (long t = Math.max(k + 1, n - horizon + 1 + k); t <= n; t++) {
                    int from = (int) ((t - k) % horizon);
                    int to = (int) (t % horizon);
                    double actual = state.recentValues[to * c + ch];
                    float point = state.recentPoints[from * size + i];
                    if (Float.isNaN(state.recentSpreads[from * size + i]) || !Double.isFinite(actual)) {
                        continue;
                    }
                    model += Math.abs(actual - point);
                    persistence += Math.abs(actual - state.recentValues[from * c + ch]);
                    count++;
                }
                outcomes = Math.max(outcomes, count);
                number(recentMae, channels.get(ch), count > 0 ? model / count : Double.NaN);
                number(persistenceMae, channels.get(ch), count > 0 ? persistence / count : Double.NaN);
            }
            ObjectNode recent = h.putObject("recent");
            recent.put("outcomes", outcomes);
            recent.set("mae", recentMae);
            recent.set("persistenceMae", persistenceMae);
        }
        return error;
    }

    private ObjectNode perChannel(double[] values, int count) {
        ObjectNode node = JSON.createObjectNode();
        for (int ch = 0; ch < Math.min(count, channels.size()); ch++) {
            number(node, channels.get(ch), values[ch]);
        }
        return node;
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
