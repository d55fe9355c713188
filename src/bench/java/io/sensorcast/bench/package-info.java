/** Benchmarks: JMH micro-benchmarks and fixed-workload harnesses; run them with {@code src/bench/run}. */
package io.sensorcast.bench;
