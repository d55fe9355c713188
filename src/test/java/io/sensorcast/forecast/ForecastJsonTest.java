package io.sensorcast.forecast;

import io.sensorcast.anomaly.AnomalyScore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForecastJsonTest {

    private final ForecastJson json = new ForecastJson(List.of("temp", "rh"));

    @Test
    void forecastWithQuantilesAndAnomalyRoundTrips() {
        Forecast f = new Forecast("s-1", 1_000L, 7, 2, new long[] {2_000L, 3_000L}, new double[] {1, 2, 3, 4},
                new double[] {0.1, 0.5, 0.9}, new double[] {0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5},
                new AnomalyScore(true, 0.9, true, "high", 0, 12.5, "above", 30, 10, 5, 15));

        Forecast read = json.read(json.write(f));

        assertThat(read).isEqualTo(f);
        assertThat(read.quantile(2, 2, 1)).isEqualTo(5);
    }

    @Test
    void recordOfTheFirstFormatWithoutQuantilesOrAnomalyStillReads() {
        String old = "{\"sensorId\":\"s-1\",\"ts\":\"1970-01-01T00:00:01Z\",\"step\":7,\"modelVersion\":2,"
                + "\"forecasts\":[{\"h\":1,\"ts\":\"1970-01-01T00:00:02Z\",\"values\":{\"temp\":1.5,\"rh\":2.5}}]}";

        Forecast read = json.read(old.getBytes(StandardCharsets.UTF_8));

        assertThat(read.values()).containsExactly(1.5, 2.5);
        assertThat(read.quantileLevels()).isEmpty();
        assertThat(read.anomaly()).isEqualTo(AnomalyScore.UNSCORED);
    }

    @Test
    void unscoredEventLeavesTheAnomalyFieldOut() {
        Forecast f = new Forecast("s-1", 1_000L, 1, 0, new long[] {2_000L}, new double[] {1, 2});

        assertThat(new String(json.write(f), StandardCharsets.UTF_8)).doesNotContain("anomaly").doesNotContain("quantiles");
    }

    @Test
    void writesTimestampsAsInstantTextAndEachForecastsOwnQuantileLevels() {
        Forecast a = new Forecast("s-1", 1_764_504_000_123L, 1, 0, new long[] {1_764_504_060_000L},
                new double[] {1, 2}, new double[] {0.1, 0.9}, new double[] {0, 1, 2, 3}, AnomalyScore.UNSCORED);
        Forecast b = new Forecast("s-1", 1_764_504_000_123L, 1, 0, new long[] {1_764_504_060_000L},
                new double[] {1, 2}, new double[] {0.25}, new double[] {0, 1}, AnomalyScore.UNSCORED);

        String first = new String(json.write(a), StandardCharsets.UTF_8);
        String second = new String(json.write(b), StandardCharsets.UTF_8);

        assertThat(first).contains("\"ts\":\"2025-11-30T12:00:00.123Z\"", "\"ts\":\"2025-11-30T12:01:00Z\"",
                "\"0.1\":{", "\"0.9\":{").doesNotContain("0.25");
        assertThat(second).contains("\"0.25\":{").doesNotContain("\"0.1\"");
        assertThat(json.read(json.write(b))).isEqualTo(b);
    }

    @Test
    void valuesReadBackAsTheSameDoubles() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? random.nextDouble(-1e6, 1e6) : random.nextGaussian() * Math.pow(10, random.nextInt(-12, 12));
        }
        Forecast f = new Forecast("s-1", 0, 1, 0, new long[1000], values);

        assertThat(json.read(json.write(f)).values()).containsExactly(values);
    }
}
