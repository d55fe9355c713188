package io.sensorcast.query;

import io.sensorcast.state.SensorState;
import io.sensorcast.topology.ForecastTopology;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/** {@link StoreAccess} over a running {@link KafkaStreams}: its metadata and its interactive-query stores. */
public final class StreamsStoreAccess implements StoreAccess {

    private static final String STORE = ForecastTopology.STATE_STORE;

    private final KafkaStreams streams;
    private final String self;
    private final String eventsTopic;
    private final IntSupplier partitions;

    /**
     * @param self        this instance's {@code application.server}
     * @param eventsTopic the events topic, whose partitions are the store's
     * @param partitions  partitions of the events topic, once known (0 before)
     */
    public StreamsStoreAccess(KafkaStreams streams, String self, String eventsTopic, IntSupplier partitions) {
        this.streams = streams;
        this.self = self;
        this.eventsTopic = eventsTopic;
        this.partitions = partitions;
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public Owner ownerOf(String sensorId) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(STORE, sensorId, Serdes.String().serializer());
        } catch (StreamsNotStartedException | IllegalStateException e) {
            throw new NotQueryableException("the stream is not running (" + streams.state() + ")", e);
        }
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)
                || metadata.activeHost().equals(HostInfo.unavailable())) {
            throw new NotQueryableException("the stream's metadata is not available yet (state " + streams.state()
                    + "; starting or rebalancing)");
        }
        return new Owner(metadata.partition(), address(metadata.activeHost()),
                metadata.standbyHosts().stream().map(StreamsStoreAccess::address).sorted().toList());
    }

    @Override
    public Map<String, Set<Integer>> activePartitions() {
        Map<String, Set<Integer>> byHost = new TreeMap<>();
        try {
            for (StreamsMetadata m : streams.streamsMetadataForStore(STORE)) {
                // The store's task for partition p reads partition p of the events topic. An instance holding
                // standby copies only is listed too, with no active partition: it has nothing to list.
                Set<Integer> held = new TreeSet<>();
                m.topicPartitions().stream().filter(tp -> tp.topic().equals(eventsTopic))
                        .map(TopicPartition::partition).forEach(held::add);
                if (!held.isEmpty()) {
                    byHost.computeIfAbsent(address(m.hostInfo()), h -> new TreeSet<>()).addAll(held);
                }
            }
        } catch (StreamsNotStartedException | IllegalStateException e) {
            throw new NotQueryableException("the stream is not running (" + streams.state() + ")", e);
        }
        return byHost;
    }

    @Override
    public int partitionCount() {
        return partitions.getAsInt();
    }

    @Override
    public Optional<SensorState> read(String sensorId, int partition, Copy copy) {
        try {
            return Optional.ofNullable(store(partition, copy).get(sensorId));
        } catch (InvalidStateStoreException e) {
            throw notQueryable(partition, e);
        }
    }

    @Override
    public List<Map.Entry<String, SensorState>> list(Set<Integer> wanted, String prefix, String after, int limit) {
        List<Map.Entry<String, SensorState>> found = new ArrayList<>();
        for (int partition : wanted) {
            ReadOnlyKeyValueStore<String, SensorState> store = store(partition, Copy.ACTIVE);
            String from = after != null ? after : prefix.isEmpty() ? null : prefix;
            int taken = 0;
            // A bounded range scan: ids sort by their UTF-8 bytes, so those with the prefix are contiguous.
            try (KeyValueIterator<String, SensorState> it = store.range(from, null)) {
                while (it.hasNext() && taken < limit) {
                    KeyValue<String, SensorState> kv = it.next();
                    if (kv.key.equals(after)) {
                        continue;
                    }
                    if (!kv.key.startsWith(prefix)) {
                        break;
                    }
                    found.add(Map.entry(kv.key, kv.value));
                    taken++;
                }
            } catch (InvalidStateStoreException e) {
                throw notQueryable(partition, e);
            }
        }
        found.sort(Map.Entry.comparingByKey(SensorIdOrder.COMPARATOR));
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    private ReadOnlyKeyValueStore<String, SensorState> store(int partition, Copy copy) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, SensorState>> parameters = StoreQueryParameters
                .fromNameAndType(STORE, QueryableStoreTypes.<String, SensorState>keyValueStore())
                .withPartition(partition);
        try {
            return streams.store(copy == Copy.STANDBY ? parameters.enableStaleStores() : parameters);
        } catch (InvalidStateStoreException e) {
            throw notQueryable(partition, e);
        }
    }

    private NotQueryableException notQueryable(int partition, InvalidStateStoreException e) {
        return new NotQueryableException("partition " + partition + " of " + STORE + " is not queryable on " + self
                + " now (" + e.getMessage() + ")", e);
    }

    private static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
