package io.sensorcast.cli;

import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.TakeoverScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Two service JVMs share the input; one stops mid-stream and the other takes over its partitions and state. */
@IntegrationTest
class PartitionTakeoverTest {

    @TempDir
    Path dir;

    @Test
    void remainingInstanceTakesOverTheStoppedOnesPartitionsWithExactlyOneForecastPerValidEventEqualToAnUninterruptedRun()
            throws Exception {
        TakeoverScenario.Result result = new TakeoverScenario(1, false, 100, 24, 120).run(dir);
        System.out.println("takeover with one standby replica: " + result);
        // Generous: a clean leave hands the partitions over at once; 30 s would mean waiting out a session.
        assertThat(result.takeoverMs()).as("ms until every partition is served again").isLessThan(30_000);
    }
}
