/** JMH benchmarks of the serving step kernel and the hand-written hot-path helpers against their alternatives. */
package io.sensorcast.bench.kernel;
