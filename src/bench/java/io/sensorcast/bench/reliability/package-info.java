/** Reliability harnesses: partition takeover with and without standby replicas, on a real broker. */
package io.sensorcast.bench.reliability;
