package io.sensorcast.metrics;

/**
 * Whether each of the last N scored values fell inside the band forecast for it: the share that did is the
 * interval's rolling coverage. Stream threads of one instance share it, so it is synchronized.
 */
final class CoverageWindow {

    private final boolean[] inside;
    private int next;
    private int size;
    private int count;

    CoverageWindow(int capacity) {
        this.inside = new boolean[capacity];
    }

    synchronized void add(boolean covered) {
        if (size == inside.length) {
            count -= inside[next] ? 1 : 0;
        } else {
            size++;
        }
        inside[next] = covered;
        count += covered ? 1 : 0;
        next = (next + 1) % inside.length;
    }

    /** The share of the window inside its band; NaN before the first value. */
    synchronized double coverage() {
        return size == 0 ? Double.NaN : (double) count / size;
    }
}
