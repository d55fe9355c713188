package io.sensorcast.demo;

/**
 * One lasting step in a simulated sensor's level, such as a setpoint change or a new operating point after
 * maintenance: the ground truth a change-point check can be held against.
 *
 * @param timestampMs when the step took effect (the first reading that carries it)
 * @param delta       how far the level moved, in the sensor's unit
 */
record LevelShift(long timestampMs, double delta) {
}
