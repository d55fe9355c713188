package io.sensorcast.recurrent;

import io.sensorcast.testing.IntegrationTest;

/**
 * Every DL4J parity case of {@link RecurrentKernelDl4jParityTest} on the Vector API step loops. An integration test
 * because those loops need {@code --add-modules jdk.incubator.vector} and C2 (failsafe's JVMs have both; the unit
 * tier runs C1 only, where the Vector API is not compiled to vector instructions).
 */
@IntegrationTest
class VectorKernelDl4jParityTest extends RecurrentKernelDl4jParityTest {

    @Override
    StepLoops loops() {
        return StepLoops.vector().orElseThrow(() -> new AssertionError(
                "the integration tier's JVM must start with --add-modules " + StepLoops.VECTOR_MODULE));
    }
}
