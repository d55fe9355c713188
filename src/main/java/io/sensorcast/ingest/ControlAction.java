package io.sensorcast.ingest;

import java.util.Locale;
import java.util.Optional;

/** What a control record asks the service to do with one sensor. */
public enum ControlAction {
    /** Learn the sensor afresh: recurrent state, statistics, profiles and calibration cleared; it stays known. */
    RESET,
    /** Remove everything the service holds about the sensor, as when the device is replaced or retired. */
    FORGET;

    /** The action's name in JSON, lower case. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action a JSON name stands for; exact and lower case only. */
    public static Optional<ControlAction> fromJson(String name) {
        for (ControlAction action : values()) {
            if (action.jsonName().equals(name)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
