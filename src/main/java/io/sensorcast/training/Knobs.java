package io.sensorcast.training;

/** TEMPORARY experiment knobs (system properties), replaced by configuration keys before landing. */
public final class Knobs {
    private Knobs() {
    }

    public static double d(String name, double fallback) {
        String v = System.getProperty("sc." + name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    public static int i(String name, int fallback) {
        return (int) d(name, fallback);
    }

    public static String s(String name, String fallback) {
        return System.getProperty("sc." + name, fallback);
    }
}
