package io.sensorcast.config;

import java.util.Locale;

/**
 * How every accepted event is scored for surprise and which scores reach the anomaly topic.
 *
 * @param threshold   score in (0, 1] at which an event is flagged
 * @param publish     flagged, all or none: which scored events go to the anomaly topic
 * @param longWindow  events over which each sensor learns how often and how far surprise leaves its 80 % band
 * @param warmup      events a sensor must have seen before it is scored
 */
public record AnomalySettings(double threshold, String publish, int longWindow, int warmup) {

    public static final AnomalySettings DEFAULTS = PipelineConfigLoader.defaults("anomaly", AnomalySettings.class);

    public AnomalySettings {
        publish = publish.toLowerCase(Locale.ROOT);
    }

    /** True when a score with this flag goes to the anomaly topic. */
    public boolean publishes(boolean flagged) {
        return publish.equals("all") || (flagged && publish.equals("flagged"));
    }
}
