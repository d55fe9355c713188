package io.sensorcast.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ObservabilityQueriesTest {

    /** The metric names agreed with the metrics endpoint, as Prometheus exposes them. */
    static final Set<String> AGREED = Set.of(
            "sensorcast_events_in_total", "sensorcast_forecasts_out_total", "sensorcast_dead_letters_total",
            "sensorcast_step_duration_seconds", "sensorcast_event_lag_seconds",
            "sensorcast_forecast_mae", "sensorcast_forecast_nrmse", "sensorcast_forecast_skill",
            "sensorcast_forecast_actual", "sensorcast_forecast_predicted",
            "sensorcast_active_keys", "sensorcast_state_restore_remaining_records", "sensorcast_stream_up",
            "sensorcast_stream_stalled", "sensorcast_stream_thread_failures_total",
            "sensorcast_model_version", "sensorcast_model_swaps_total", "sensorcast_model_last_swap_timestamp_seconds",
            "sensorcast_model_refused_total", "sensorcast_trainer_runs_total",
            "sensorcast_trainer_candidates_rejected_total", "sensorcast_trainer_train_loss",
            "sensorcast_trainer_validation_loss", "sensorcast_trainer_gradient_norm",
            "sensorcast_trainer_gradient_norm_max", "sensorcast_trainer_clipped_ratio",
            "sensorcast_forecast_quantile", "sensorcast_interval_coverage", "sensorcast_anomalies_total",
            "sensorcast_sensors_evicted_total", "sensorcast_eviction_slice_duration_seconds",
            "sensorcast_control_actions_total", "sensorcast_control_in_total",
            "sensorcast_query_duration_seconds", "sensorcast_query_forwarded_total");
    static final Set<String> HISTOGRAMS = Set.of("sensorcast_step_duration_seconds", "sensorcast_event_lag_seconds",
            "sensorcast_eviction_slice_duration_seconds", "sensorcast_query_duration_seconds");
    /** Kafka client and Streams metrics (Micrometer's Kafka binders), JVM and process metrics. */
    static final List<String> LIBRARY_PREFIXES = List.of("kafka_", "jvm_", "process_");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            sum by (reason) (rate(sensorcast_dead_letters_total{job=~"$job", reason!="x y"}[$__rate_interval]))     | sensorcast_dead_letters_total
            histogram_quantile(0.95, sum by (le) (rate(sensorcast_step_duration_seconds_bucket[5m])))              | sensorcast_step_duration_seconds_bucket
            a_total / on (job) group_left (instance) b_total unless ignoring (pod) c offset 5m > bool 1e3           | a_total b_total c
            time() - sensorcast_model_last_swap_timestamp_seconds > 21600                                          | sensorcast_model_last_swap_timestamp_seconds
            sum(x) without (le, topic) and on() vector(1)                                                          | x
            label_replace(up, "dst", "$1", "src", "(.*)") or absent(y:recorded:rate5m)                            | up y:recorded:rate5m
            """)
    void extractsMetricNamesButNotLabelsFunctionsKeywordsOrNumbers(String promql, String expected) {
        assertThat(ObservabilityQueries.metricNames(promql)).containsExactlyInAnyOrder(expected.split(" "));
    }

    @Test
    void everyQueriedNameIsAnAgreedMetricOrAKafkaJvmOrProcessMetric() throws IOException {
        SortedSet<String> names = ObservabilityQueries.metricNames();
        // The list for whoever checks a live /metrics page by hand, and for the build log.
        Path list = Path.of("target", "observability", "metric-names.txt");
        Files.createDirectories(list.getParent());
        Files.write(list, names);

        assertThat(names).hasSizeGreaterThan(AGREED.size());
        assertThat(names).allSatisfy(name -> assertThat(isAgreed(name) || isLibraryMetric(name))
                .as("%s is neither an agreed sensorcast metric nor a kafka_/jvm_/process_ one", name).isTrue());
    }

    @Test
    void everyAgreedMetricIsOnTheDashboard() {
        Set<String> onDashboard = ObservabilityQueries.dashboardQueries().stream()
                .flatMap(q -> ObservabilityQueries.metricNames(q).stream())
                .map(ObservabilityQueriesTest::baseName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(onDashboard).containsAll(AGREED);
    }

    @Test
    void alertsReadTheirMetricsFromBothServingAndKafkaClientMetrics() {
        Set<String> alerted = ObservabilityQueries.alertQueries().stream()
                .flatMap(q -> ObservabilityQueries.metricNames(q).stream()).collect(Collectors.toSet());
        assertThat(alerted).containsExactlyInAnyOrder(
                "sensorcast_stream_up", "sensorcast_stream_stalled", "kafka_consumer_fetch_manager_records_lag_max",
                "sensorcast_dead_letters_total", "sensorcast_events_in_total", "sensorcast_forecast_skill",
                "sensorcast_trainer_runs_total", "sensorcast_model_last_swap_timestamp_seconds",
                "sensorcast_anomalies_total", "sensorcast_forecasts_out_total");
    }

    /** An agreed name as exposed: a histogram only through its _bucket, _count and _sum series. */
    private static boolean isAgreed(String name) {
        String base = baseName(name);
        return HISTOGRAMS.contains(base) ? !base.equals(name) : AGREED.contains(name);
    }

    private static boolean isLibraryMetric(String name) {
        return LIBRARY_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** A histogram series' metric: sensorcast_step_duration_seconds_bucket is sensorcast_step_duration_seconds. */
    private static String baseName(String name) {
        return Arrays.stream(new String[] {"_bucket", "_count", "_sum"})
                .filter(suffix -> name.endsWith(suffix) && HISTOGRAMS.contains(name.substring(0, name.length() - suffix.length())))
                .map(suffix -> name.substring(0, name.length() - suffix.length()))
                .findFirst().orElse(name);
    }
}
