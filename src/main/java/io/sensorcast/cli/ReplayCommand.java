package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ServingModel;
import io.sensorcast.replay.ForecastPlot;
import io.sensorcast.replay.ReplayRunner;
import io.sensorcast.replay.ReplayScores;
import io.sensorcast.training.OnlineTrainer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Replays CSV series through the stream's exact code path, without a broker, and scores the forecasts. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run CSV series (timestamp, value columns) through the service's code path without Kafka:"
                + " same validation, state, features, cell, online trainer and gate; deterministic. Writes one row per"
                + " event and prints MAE, NRMSE and MAPE per horizon against persistence and seasonal naive.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "CSV", arity = "1..*", description = "CSV files, or folders of them (searched recursively).")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "DIR", description = "Write <series>.csv (and plots) here.")
    Path out;

    @Option(names = "--plot", description = "Also write <series>.png: actual against horizon-1 forecast (last 2000 events).")
    boolean plot;

    @Option(names = "--score-from", defaultValue = "1000", description = "First row scored (default: ${DEFAULT-VALUE}).")
    int scoreFrom;

    @Option(names = "--season", defaultValue = "P1D", description = "Season of the seasonal-naive baseline, ISO-8601"
            + " duration (default: ${DEFAULT-VALUE}).")
    Duration season;

    @Option(names = "--training", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Train online while replaying (default: on; --no-training serves the starting model only).")
    boolean training;

    @Option(names = "--compare", description = "Replay each series twice, training on and off, and print one"
            + " markdown table row per series (what BENCHMARKS.md records).")
    boolean compare;

    @Override
    public Integer call() throws IOException {
        PipelineConfig pipeline = config.load();
        ServingModel initial = ModelSources.toServing(ModelSources.initial(pipeline));
        List<CsvSeries> series = new ArrayList<>();
        for (Path input : inputs) {
            series.addAll(Files.isDirectory(input) ? CsvSeries.readDirectory(input) : List.of(CsvSeries.read(input)));
        }
        PrintStream stdout = System.out;
        if (compare) {
            stdout.println("| series | rows | h | online MAE | online NRMSE | no-training MAE | no-training NRMSE"
                    + " | persistence MAE | persistence NRMSE | seasonal MAE | seasonal NRMSE | models |");
            stdout.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        }
        for (CsvSeries s : series) {
            if (compare) {
                Replayed on = replay(pipeline, initial, s, true);
                Replayed off = replay(pipeline, initial, s, false);
                for (int h : new int[]{1, pipeline.horizon()}) {
                    ReplayScores.HorizonScores a = on.scores[h - 1];
                    ReplayScores.HorizonScores b = off.scores[h - 1];
                    stdout.printf(Locale.ROOT, "| %s | %d | %d | %.4g | %.3f | %.4g | %.3f | %.4g | %.3f | %.4g | %.3f | v%d |%n",
                            s.name(), s.size(), h, a.model().mae(), a.model().nrmse(), b.model().mae(), b.model().nrmse(),
                            a.persistence().mae(), a.persistence().nrmse(), a.seasonalNaive().mae(),
                            a.seasonalNaive().nrmse(), on.result.finalModelVersion());
                }
            } else {
                Replayed r = replay(pipeline, initial, s, training);
                printScores(stdout, s, r, pipeline);
            }
        }
        return 0;
    }

    private record Replayed(ReplayRunner.Result result, List<ReplayRunner.Row> rows, ReplayScores.HorizonScores[] scores) {
    }

    private Replayed replay(PipelineConfig pipeline, ServingModel initial, CsvSeries s, boolean train) throws IOException {
        List<ReplayRunner.RawEvent> events = new ArrayList<>(s.size());
        byte[] key = s.name().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < s.size(); i++) {
            events.add(new ReplayRunner.RawEvent(key, s.toEventJson(i).getBytes(StandardCharsets.UTF_8)));
        }
        List<ReplayRunner.Row> rows = new ArrayList<>(s.size());
        ReplayRunner.Result result;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(s.name() + (train ? "" : " (no training)"))
                .setInitialMax(s.size()).setStyle(ProgressBarStyle.ASCII).setConsumer(
                        new ConsoleProgressBarConsumer(System.err)).build()) {
            result = new ReplayRunner(pipeline, initial, train).run(events, rows::add, bar::stepTo);
        }
        ReplayScores.HorizonScores[] scores = ReplayScores.score(rows, pipeline.horizon(), 0, pipeline.channels().size(),
                season.toMillis(), scoreFrom);
        if (out != null && !compare) {
            Files.createDirectories(out);
            writeRows(out.resolve(s.name() + ".csv"), rows, pipeline);
            if (plot) {
                ForecastPlot.write(rows, 0, pipeline.channels().size(), s.name() + ": actual and forecast (h=1)",
                        out.resolve(s.name() + ".png"), 2000);
            }
        }
        return new Replayed(result, rows, scores);
    }

    private static void writeRows(Path file, List<ReplayRunner.Row> rows, PipelineConfig pipeline) throws IOException {
        int k = pipeline.horizon();
        int c = pipeline.channels().size();
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder header = new StringBuilder("index,timestamp");
            for (String ch : pipeline.channels()) {
                header.append(c == 1 ? ",actual" : ",actual_" + ch);
            }
            for (int h = 1; h <= k; h++) {
                for (String ch : pipeline.channels()) {
                    header.append(c == 1 ? ",forecast_" + h : ",forecast_" + ch + "_" + h);
                }
            }
            w.write(header.append(",model_version\n").toString());
            for (ReplayRunner.Row row : rows) {
                StringBuilder line = new StringBuilder().append(row.index()).append(',')
                        .append(Instant.ofEpochMilli(row.timestampMs()));
                for (double v : row.actual()) {
                    line.append(',').append(v);
                }
                for (double v : row.forecast()) {
                    line.append(',').append(v);
                }
                w.write(line.append(',').append(row.modelVersion()).append('\n').toString());
            }
        }
    }

    private void printScores(PrintStream stdout, CsvSeries s, Replayed r, PipelineConfig pipeline) {
        long accepted = r.result.rounds().stream().filter(x -> x.outcome() == OnlineTrainer.Outcome.ACCEPTED).count();
        stdout.printf(Locale.ROOT, "%n%s: %d rows, %d rejected, %d training rounds (%d accepted), final model v%d;"
                        + " scored from row %d%n", s.name(), s.size(), r.result.rejected(), r.result.rounds().size(), accepted,
                r.result.finalModelVersion(), scoreFrom);
        stdout.printf(Locale.ROOT, "%3s %7s | %-28s | %-28s | %-28s%n", "h", "pairs", "model MAE / NRMSE / MAPE%",
                "persistence", "seasonal naive");
        for (ReplayScores.HorizonScores h : r.scores) {
            stdout.printf(Locale.ROOT, "%3d %7d | %-28s | %-28s | %-28s%n", h.h(), h.pairs(), fmt(h.model()),
                    fmt(h.persistence()), fmt(h.seasonalNaive()));
        }
    }

    private static String fmt(ReplayScores.Errors e) {
        return String.format(Locale.ROOT, "%.4g / %.3f / %.2f", e.mae(), e.nrmse(), e.mape());
    }
}
