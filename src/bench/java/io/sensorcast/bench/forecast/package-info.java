/** JMH benchmarks of the per-event forecasting core (features, seasonal context, calibration, kernel). */
package io.sensorcast.bench.forecast;
