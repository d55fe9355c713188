package io.sensorcast.cli;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.SensorSimulator;
import io.sensorcast.demo.SimulatedRecord;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelFiles;
import io.sensorcast.model.ModelMetadata;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.training.BootstrapTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Trains the bootstrap model a cold start serves, from simulated sensors the repository regenerates. */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = "Train a bootstrap model offline on simulated sensors (or CSV series) and save it with metadata.")
final class BootstrapCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--out", paramLabel = "ZIP", description = "Where to write the model (default: the config's model.path).")
    Path out;

    @Option(names = "--seed", defaultValue = "20261122", description = "Seed of the simulator and the fit (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sensor-sets", defaultValue = "2", description = "Simulator runs with different seeds (default: ${DEFAULT-VALUE}).")
    int sensorSets;

    @Option(names = "--days", defaultValue = "28", description = "Simulated days per sensor (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--csv", paramLabel = "DIR", description = "Train on CSV series under DIR instead of the simulator.")
    Path csv;

    @Option(names = "--epochs", defaultValue = "6", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--window", defaultValue = "100", description = "Steps per training sequence (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--batch", defaultValue = "32", description = "Sequences per mini-batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--learning-rate", defaultValue = "0.003", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = config.load();
        List<SensorEvent> events = csv != null ? fromCsv(csv) : simulated(pipeline);
        TrainingOptions training = new TrainingOptions(Optimizer.ADAM, learningRate, 50,
                TrainingOptions.defaults().gradientClipThreshold(), pipeline.training().absoluteLoss(),
                pipeline.training().distributionHead());
        BootstrapTrainer.Options options = new BootstrapTrainer.Options(seed, epochs, window, batch, 0.2, training);
        System.err.printf("Training %s on %d events (%s), %d epochs...%n", pipeline.model().cell(), events.size(),
                csv != null ? csv : "simulated", epochs);
        long started = System.nanoTime();
        BootstrapTrainer.Result result = BootstrapTrainer.train(pipeline, events, options,
                epoch -> System.err.printf("  epoch %d/%d%n", epoch, epochs));
        double seconds = (System.nanoTime() - started) / 1e9;

        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("data", csv != null ? "CSV series under " + csv
                : sensorSets + " runs of the demo SensorSimulator, " + days + " simulated days each, seeds from " + seed);
        provenance.put("command", "./sensorcast bootstrap --config " + config.file + (csv != null ? " --csv " + csv : "")
                + " --seed " + seed + " --sensor-sets " + sensorSets + " --days " + days + " --epochs " + epochs
                + " --window " + window + " --batch " + batch + " --learning-rate " + learningRate);
        provenance.put("events", events.size());
        provenance.put("seed", seed);
        provenance.put("epochs", epochs);
        provenance.put("windowLength", window);
        provenance.put("batchSize", batch);
        provenance.put("optimizer", training.optimizer().name());
        provenance.put("learningRate", learningRate);
        provenance.put("tbpttLength", training.tbpttLength());
        provenance.put("gradientNormalization", "ClipL2PerLayer");
        provenance.put("gradientClipThreshold", training.gradientClipThreshold());
        provenance.put("clippedFraction", round(result.clippedFraction()));
        provenance.put("trainWindows", result.trainWindows());
        provenance.put("validationWindows", result.validationWindows());
        provenance.put("epochLosses", result.epochLosses().stream().map(BootstrapCommand::round).toList());
        provenance.put("validationMaeH1", round(result.validationMae()));
        provenance.put("persistenceMaeH1", round(result.persistenceMae()));
        provenance.put("errorUnits", "standard deviations of each sensor");
        provenance.put("trainingSeconds", Math.round(seconds));

        ModelMetadata metadata = ModelMetadata.forPipeline(pipeline, 1, 0, Instant.now(), provenance);
        Path target = out != null ? out : Path.of(pipeline.model().path());
        ModelMetadata written = ModelFiles.save(result.network(), metadata, target);
        System.err.printf("Saved %s (sha256 %s) in %.0f s: validation MAE at h=1 %.3f vs persistence %.3f%n",
                target, written.sha256(), seconds, result.validationMae(), result.persistenceMae());
        return 0;
    }

    private List<SensorEvent> simulated(PipelineConfig pipeline) {
        if (pipeline.channels().size() != 1) {
            throw new ConfigException("channels: the simulator makes single-channel sensors;"
                    + " use --csv DIR with one column per channel for " + pipeline.channels());
        }
        EventParser parser = parser(pipeline);
        List<SensorEvent> events = new ArrayList<>();
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        long end = start.toEpochMilli() + days * 86_400_000L;
        for (int set = 0; set < sensorSets; set++) {
            SensorSimulator simulator = new SensorSimulator(seed + set, start, 0.0);
            for (SimulatedRecord r = simulator.next(); r.timestampMs() < end; r = simulator.next()) {
                if (parser.parse(null, r.value()) instanceof ParseResult.Accepted a) {
                    SensorEvent e = a.event();
                    events.add(new SensorEvent(e.sensorId() + "#" + set, e.timestampMs(), e.values(), e.original()));
                }
            }
        }
        return events;
    }

    private static List<SensorEvent> fromCsv(Path dir) throws IOException {
        List<SensorEvent> events = new ArrayList<>();
        for (CsvSeries series : CsvSeries.readDirectory(dir)) {
            for (int i = 0; i < series.size(); i++) {
                double[] row = new double[series.channels().size()];
                for (int ch = 0; ch < row.length; ch++) {
                    row[ch] = series.value(i, ch);
                }
                events.add(new SensorEvent(series.name(), series.timestampMs(i), row, new byte[0]));
            }
        }
        return events;
    }

    private static EventParser parser(PipelineConfig p) {
        return new EventParser(p.parserSettings());
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
