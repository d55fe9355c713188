package io.sensorcast.query;

import io.sensorcast.state.SensorState;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the query API needs from the running stream: who holds a sensor, which instances hold which partitions, and
 * reads of this instance's own copies of the sensor-state store. Every method may throw {@link NotQueryableException}
 * while the store is being rebalanced or restored.
 */
public interface StoreAccess {

    /** This instance's advertised host:port. */
    String self();

    /** Where a sensor's state lives: its partition, the active instance and the standbys. */
    Owner ownerOf(String sensorId);

    /** Per instance (host:port), the partitions of the store whose active copy it holds. */
    Map<String, Set<Integer>> activePartitions();

    /** Partitions of the store (of the events topic). */
    int partitionCount();

    /** The sensor's state from this instance's active copy of its partition, or from a standby copy. */
    Optional<SensorState> read(String sensorId, int partition, Copy copy);

    /**
     * Up to {@code limit} sensors of this instance's active copies of {@code partitions} whose ids start with
     * {@code prefix} and sort after {@code after} (UTF-8 byte order; null: from the first), in that order.
     */
    List<Map.Entry<String, SensorState>> list(Set<Integer> partitions, String prefix, String after, int limit);

    /** Which copy of a partition a read may use. */
    enum Copy {
        ACTIVE, STANDBY
    }

    /**
     * @param partition the store partition holding the sensor
     * @param active    host:port of the instance with the active copy
     * @param standbys  host:port of the instances with standby copies
     */
    record Owner(int partition, String active, List<String> standbys) {

        public Owner {
            standbys = List.copyOf(standbys);
        }
    }
}
