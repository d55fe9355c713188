package io.sensorcast.bench.reliability;

import io.sensorcast.testing.TakeoverScenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures partition takeover with and without standby replicas, side by side in one run: two service
 * JVMs share four input partitions, one is stopped mid-stream, and the time until the other serves every
 * partition again is taken (see {@link TakeoverScenario}). Variants alternate so machine noise hits both.
 *
 * <p>{@code src/bench/run io.sensorcast.bench.reliability.TakeoverTimeHarness [repetitions] [sensors]
 * [eventsPerSensor] [eventsPerSecond] [term|kill]}
 */
public final class TakeoverTimeHarness {

    private TakeoverTimeHarness() {
    }

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int sensors = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int eventsPerSensor = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        double rate = args.length > 3 ? Double.parseDouble(args[3]) : 400;
        boolean kill = args.length > 4 && args[4].equals("kill");
        Map<Integer, List<TakeoverScenario.Result>> results = new LinkedHashMap<>();
        results.put(0, new ArrayList<>());
        results.put(1, new ArrayList<>());
        for (int rep = 1; rep <= repetitions; rep++) {
            for (int standbys : results.keySet()) {
                Path dir = Files.createTempDirectory("takeover-bench-");
                TakeoverScenario.Result r = new TakeoverScenario(standbys, kill, sensors, eventsPerSensor, rate).run(dir);
                System.out.printf("rep %d, num.standby.replicas=%d, %s: stop-to-exit %d ms, takeover %d ms (%d forecasts checked)%n",
                        rep, standbys, kill ? "SIGKILL" : "SIGTERM", r.stopToExitMs(), r.takeoverMs(), r.forecasts());
                results.get(standbys).add(r);
            }
        }
        long without = median(results.get(0));
        long with = median(results.get(1));
        System.out.printf("%d sensors x %d events at %.0f/s, stop by %s, %d repetitions%n", sensors, eventsPerSensor,
                rate, kill ? "SIGKILL" : "SIGTERM", repetitions);
        System.out.printf("median takeover: no standby %d ms, one standby %d ms, ratio %.2f%n", without, with,
                with == 0 ? Double.NaN : (double) without / with);
    }

    private static long median(List<TakeoverScenario.Result> rs) {
        long[] v = rs.stream().mapToLong(TakeoverScenario.Result::takeoverMs).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
