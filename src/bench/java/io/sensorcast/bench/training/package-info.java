/** The trainer's fit timed on fixed workloads, the hand-written engine beside DL4J's (and PyTorch's, src/bench/python). */
package io.sensorcast.bench.training;
