package io.sensorcast.config;

/**
 * The interactive queries over HTTP ({@code /sensors}), served on the metrics port.
 *
 * @param advertisedServer host:port at which the other instances reach this one (Kafka Streams'
 *                         {@code application.server}); empty: {@code $SENSORCAST_ADVERTISED_SERVER}, else
 *                         {@code kafka.application.server}, else this host's name and the metrics port
 * @param timeoutMs        longest a query may take, forwarded calls to other instances included
 * @param maxPageSize      most sensors one page of {@code GET /sensors} may hold
 * @param threads          queries answered at the same time; more wait in a bounded queue
 */
public record QuerySettings(String advertisedServer, int timeoutMs, int maxPageSize, int threads) {

    public static final QuerySettings DEFAULTS = PipelineConfigLoader.defaults("queries", QuerySettings.class);
}
