package io.sensorcast.query;

import io.sensorcast.state.SensorState;
import io.sensorcast.topology.TopicLayout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deployment's partitions in memory, for the query API's unit tests: which instance holds each partition's active
 * and standby copy, and the sensors in each. Sensors go to partitions as Kafka's default partitioner puts them; each
 * instance's {@link #view} answers only from the copies it holds, as the real store does.
 */
final class FakeCluster {

    private final int partitions;
    private final Map<Integer, TreeMap<String, SensorState>> data = new HashMap<>();
    private final Map<Integer, String> active = new HashMap<>();
    private final Map<Integer, String> standby = new HashMap<>();
    private volatile boolean rebalancing;

    FakeCluster(int partitions) {
        this.partitions = partitions;
        for (int p = 0; p < partitions; p++) {
            data.put(p, new TreeMap<>(SensorIdOrder.COMPARATOR));
        }
    }

    void put(String id, SensorState state) {
        data.get(partitionOf(id)).put(id, state);
    }

    int partitionOf(String id) {
        return TopicLayout.homePartition(id, partitions);
    }

    void assign(int partition, String activeServer, String standbyServer) {
        active.put(partition, activeServer);
        if (standbyServer == null) {
            standby.remove(partition);
        } else {
            standby.put(partition, standbyServer);
        }
    }

    /** While true, every store read fails as during a rebalance. */
    void rebalancing(boolean now) {
        rebalancing = now;
    }

    StoreAccess view(String self) {
        return new StoreAccess() {
            @Override
            public String self() {
                return self;
            }

            @Override
            public Owner ownerOf(String sensorId) {
                int p = partitionOf(sensorId);
                return new Owner(p, active.get(p), standby.containsKey(p) ? List.of(standby.get(p)) : List.of());
            }

            @Override
            public Map<String, Set<Integer>> activePartitions() {
                Map<String, Set<Integer>> byHost = new TreeMap<>();
                // As Kafka Streams' metadata does, an instance with standby copies only is listed, with no partition.
                standby.values().forEach(host -> byHost.put(host, new TreeSet<>()));
                active.forEach((p, host) -> byHost.computeIfAbsent(host, h -> new TreeSet<>()).add(p));
                return byHost;
            }

            @Override
            public int partitionCount() {
                return partitions;
            }

            @Override
            public Optional<SensorState> read(String sensorId, int partition, Copy copy) {
                holds(partition, copy);
                return Optional.ofNullable(data.get(partition).get(sensorId));
            }

            @Override
            public List<Map.Entry<String, SensorState>> list(Set<Integer> wanted, String prefix, String after, int limit) {
                List<Map.Entry<String, SensorState>> found = new ArrayList<>();
                for (int p : wanted) {
                    holds(p, Copy.ACTIVE);
                    data.get(p).entrySet().stream()
                            .filter(e -> e.getKey().startsWith(prefix))
                            .filter(e -> after == null || SensorIdOrder.COMPARATOR.compare(e.getKey(), after) > 0)
                            .limit(limit).forEach(found::add);
                }
                found.sort(Map.Entry.comparingByKey(SensorIdOrder.COMPARATOR));
                return found.size() > limit ? found.subList(0, limit) : found;
            }

            private void holds(int partition, Copy copy) {
                boolean held = self.equals(active.get(partition))
                        || copy == Copy.STANDBY && self.equals(standby.get(partition));
                if (rebalancing || !held) {
                    throw new NotQueryableException("partition " + partition + " is not queryable on " + self);
                }
            }
        };
    }
}
