package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ServingModel;
import io.sensorcast.replay.ForecastPlot;
import io.sensorcast.replay.IntervalScores;
import io.sensorcast.replay.IntervalSummary;
import io.sensorcast.replay.NabLabels;
import io.sensorcast.replay.NabScorer;
import io.sensorcast.replay.RollingZScore;
import io.sensorcast.replay.ReplayRunner;
import io.sensorcast.replay.ReplayScores;
import io.sensorcast.replay.ReplaySummary;
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
import java.util.Map;
import java.util.concurrent.Callable;

/** Replays CSV series through the stream's exact code path, without a broker, and scores the forecasts. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Run CSV series (timestamp, value columns) through the service's code path without Kafka:"
                + " same validation, state, features, cell, online trainer and gate; deterministic. Writes one row per"
                + " event and prints, per series and horizon, MAE and NRMSE of the model and of each baseline:"
                + " persistence and one seasonal naive per season (the latest value at or before target time minus"
                + " the season; daily and weekly by default), the best baseline (lowest MAE in hindsight) and the"
                + " ratios model MAE / best-baseline MAE and model MAE / persistence MAE; then, per horizon across"
                + " series, the geometric mean of each ratio and the series where it is below 1 (wins).",
                "Every method is scored on the same pairs: rows from --score-from whose target exists and whose"
                        + " longest-season naive value exists (by default, targets at least a week after the first row)."
                        + " A series with no pairs at a horizon is left out of that horizon's summary and named."}
)
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

    @Option(names = "--seasons", split = ",", defaultValue = "P1D,P7D", paramLabel = "DURATION",
            description = "Seasons of the seasonal-naive baselines, ISO-8601 durations, comma-separated; the longest"
                    + " decides which pairs are scored (default: ${DEFAULT-VALUE}).")
    List<Duration> seasons;

    @Option(names = "--training", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Train online while replaying (default: on; --no-training serves the starting model only).")
    boolean training;

    @Option(names = "--compare", description = "Replay each series twice, training on and off, and print one"
            + " markdown table row per series and then a SUMMARY table per horizon (what BENCHMARKS.md records).")
    boolean compare;

    @Option(names = "--labels", paramLabel = "FILE", description = "Anomaly windows in NAB's combined_windows.json"
            + " format (per file, a list of [start, end]): prints the NAB score of the anomaly scores (standard,"
            + " reward-low-FP and reward-low-FN profiles, one threshold for all series) next to a rolling z-score"
            + " of the raw value (NAB's windowed Gaussian) scored the same way.")
    Path labels;

    @Override
    public Integer call() throws IOException {
        PipelineConfig pipeline = config.load();
        ServingModel initial = ModelSources.toServing(ModelSources.initial(pipeline));
        List<CsvSeries> series = new ArrayList<>();
        for (Path input : inputs) {
            series.addAll(Files.isDirectory(input) ? CsvSeries.readDirectory(input) : List.of(CsvSeries.read(input)));
        }
        List<ReplayScores.Baseline> baselines = ReplayScores.baselines(seasons);
        Map<String, List<NabScorer.Window>> windows = labels == null ? Map.of() : NabLabels.read(labels);
        List<NabScorer.Series> detections = new ArrayList<>();
        List<NabScorer.Series> zScores = new ArrayList<>();
        PrintStream stdout = System.out;
        List<ReplayScores.SeriesScores> first = new ArrayList<>();
        List<ReplayScores.SeriesScores> second = new ArrayList<>();
        List<IntervalScores.SeriesIntervals> intervals = new ArrayList<>();
        if (compare) {
            StringBuilder header = new StringBuilder("| series | rows | h | pairs | online MAE | online NRMSE"
                    + " | no-training MAE | no-training NRMSE |");
            for (ReplayScores.Baseline b : baselines) {
                header.append(' ').append(b.name()).append(" MAE | ").append(b.name()).append(" NRMSE |");
            }
            stdout.println(header.append(" best baseline | online / best | no-training / best | models |"));
            stdout.println("|---".repeat(12 + 2 * baselines.size()) + "|");
        }
        for (CsvSeries s : series) {
            if (compare) {
                Replayed on = replay(pipeline, initial, s, true, baselines);
                Replayed off = replay(pipeline, initial, s, false, baselines);
                first.add(on.scores);
                second.add(off.scores);
                intervals.add(on.intervals);
                addDetections(s, on.rows, windows, detections, zScores);
                for (int h : new int[]{1, pipeline.horizon()}) {
                    printCompareRow(stdout, s, on, off.scores.at(h), h);
                }
            } else {
                Replayed r = replay(pipeline, initial, s, training, baselines);
                first.add(r.scores);
                intervals.add(r.intervals);
                addDetections(s, r.rows, windows, detections, zScores);
                printScores(stdout, s, r);
            }
        }
        if (compare) {
            printCompareSummary(stdout, baselines, ReplaySummary.of(first), ReplaySummary.of(second));
        } else {
            printSummary(stdout, baselines, ReplaySummary.of(first));
        }
        printIntervals(stdout, baselines, intervals, pipeline.horizon());
        if (labels != null) {
            printNab(stdout, detections, zScores);
        }
        return 0;
    }

    private record Replayed(ReplayRunner.Result result, List<ReplayRunner.Row> rows, ReplayScores.SeriesScores scores,
                            IntervalScores.SeriesIntervals intervals) {
    }

    private Replayed replay(PipelineConfig pipeline, ServingModel initial, CsvSeries s, boolean train,
                            List<ReplayScores.Baseline> baselines) throws IOException {
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
        ReplayScores.SeriesScores scores = ReplayScores.score(s.name(), rows, pipeline.horizon(), 0,
                pipeline.channels().size(), baselines, scoreFrom);
        IntervalScores.SeriesIntervals intervals = IntervalScores.score(s.name(), rows,
                pipeline.forecast().levels(), pipeline.horizon(), 0, pipeline.channels().size(), baselines, scoreFrom);
        if (out != null && !compare) {
            Files.createDirectories(out);
            writeRows(out.resolve(s.name() + ".csv"), rows, pipeline);
            if (plot) {
                ForecastPlot.write(rows, 0, pipeline.channels().size(), s.name() + ": actual and forecast (h=1)",
                        out.resolve(s.name() + ".png"), 2000);
            }
        }
        return new Replayed(result, rows, scores, intervals);
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
            double[] levels = pipeline.forecast().levels();
            for (double level : levels) {
                for (int h = 1; h <= k; h++) {
                    for (String ch : pipeline.channels()) {
                        header.append(",q").append(percent(level)).append(c == 1 ? "" : "_" + ch).append('_').append(h);
                    }
                }
            }
            w.write(header.append(",anomaly_score,anomaly,model_version\n").toString());
            for (ReplayRunner.Row row : rows) {
                StringBuilder line = new StringBuilder().append(row.index()).append(',')
                        .append(Instant.ofEpochMilli(row.timestampMs()));
                for (double v : row.actual()) {
                    line.append(',').append(v);
                }
                for (double v : row.forecast()) {
                    line.append(',').append(v);
                }
                for (double v : row.quantiles()) {
                    line.append(',').append(v);
                }
                line.append(',').append(row.anomaly().score()).append(',').append(row.anomaly().anomaly() ? 1 : 0);
                w.write(line.append(',').append(row.modelVersion()).append('\n').toString());
            }
        }
    }

    private void printScores(PrintStream stdout, CsvSeries s, Replayed r) {
        long accepted = r.result.rounds().stream().filter(x -> x.outcome() == OnlineTrainer.Outcome.ACCEPTED).count();
        List<ReplayScores.Baseline> baselines = r.scores.baselines();
        stdout.printf(Locale.ROOT, "%n%s: %d rows, %d rejected, %d training rounds (%d accepted), final model v%d;"
                        + " scored from row %d where %s exists%n", s.name(), s.size(), r.result.rejected(),
                r.result.rounds().size(), accepted, r.result.finalModelVersion(), scoreFrom,
                baselines.get(baselines.size() - 1).name());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%3s %7s | %-20s", "h", "pairs",
                "model MAE / NRMSE"));
        for (ReplayScores.Baseline b : baselines) {
            header.append(String.format(Locale.ROOT, " | %-20s", b.name()));
        }
        stdout.println(header.append(String.format(Locale.ROOT, " | %-14s | %10s | %17s", "best baseline",
                "model/best", "model/persistence")));
        for (ReplayScores.HorizonScores h : r.scores.horizons()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%3d %7d | %-20s", h.h(), h.pairs(),
                    fmt(h.model())));
            for (ReplayScores.Errors e : h.baselines()) {
                line.append(String.format(Locale.ROOT, " | %-20s", fmt(e)));
            }
            stdout.println(line.append(String.format(Locale.ROOT, " | %-14s | %10s | %17s", bestName(r.scores, h),
                    ratio(h.ratioToBest()), ratio(h.ratioToPersistence()))));
        }
    }

    private static void printCompareRow(PrintStream stdout, CsvSeries s, Replayed on, ReplayScores.HorizonScores off, int h) {
        ReplayScores.HorizonScores a = on.scores.at(h);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.4g | %.3f | %.4g | %.3f |",
                s.name(), s.size(), h, a.pairs(), a.model().mae(), a.model().nrmse(), off.model().mae(), off.model().nrmse()));
        for (ReplayScores.Errors e : a.baselines()) {
            line.append(String.format(Locale.ROOT, " %.4g | %.3f |", e.mae(), e.nrmse()));
        }
        stdout.println(line.append(String.format(Locale.ROOT, " %s | %s | %s | v%d |", bestName(on.scores, a),
                ratio(a.ratioToBest()), ratio(off.ratioToBest()), on.result.finalModelVersion())));
    }

    private static void printSummary(PrintStream stdout, List<ReplayScores.Baseline> baselines, ReplaySummary summary) {
        stdout.printf(Locale.ROOT, "%nSUMMARY: %s%n%n", summaryLegend(baselines));
        stdout.println("| h | model / best | wins | model / persistence | wins |");
        stdout.println("|---|---|---|---|---|");
        for (ReplaySummary.HorizonSummary h : summary.horizons()) {
            stdout.printf(Locale.ROOT, "| %d | %s | %d/%d | %s | %d/%d |%n", h.h(), ratio(h.geoMeanToBest()),
                    h.winsOverBest(), h.series(), ratio(h.geoMeanToPersistence()), h.winsOverPersistence(), h.series());
        }
        printLeftOut(stdout, "", summary);
    }

    private static void printCompareSummary(PrintStream stdout, List<ReplayScores.Baseline> baselines,
                                            ReplaySummary online, ReplaySummary noTraining) {
        stdout.printf(Locale.ROOT, "%nSUMMARY: %s%n%n", summaryLegend(baselines));
        stdout.println("| h | online / best | online wins | no-training / best | no-training wins"
                + " | online / persistence | online wins | no-training / persistence | no-training wins |");
        stdout.println("|---|---|---|---|---|---|---|---|---|");
        for (int h = 1; h <= online.horizons().size(); h++) {
            ReplaySummary.HorizonSummary a = online.at(h);
            ReplaySummary.HorizonSummary b = noTraining.at(h);
            stdout.printf(Locale.ROOT, "| %d | %s | %d/%d | %s | %d/%d | %s | %d/%d | %s | %d/%d |%n", h,
                    ratio(a.geoMeanToBest()), a.winsOverBest(), a.series(), ratio(b.geoMeanToBest()), b.winsOverBest(),
                    b.series(), ratio(a.geoMeanToPersistence()), a.winsOverPersistence(), a.series(),
                    ratio(b.geoMeanToPersistence()), b.winsOverPersistence(), b.series());
        }
        printLeftOut(stdout, "online ", online);
        printLeftOut(stdout, "no-training ", noTraining);
    }

    private static String summaryLegend(List<ReplayScores.Baseline> baselines) {
        return "per horizon, geometric mean over series of model MAE / best-baseline MAE (best of "
                + String.join(", ", baselines.stream().map(ReplayScores.Baseline::name).toList())
                + ", chosen per series and horizon in hindsight) and of model MAE / persistence MAE;"
                + " wins: series with a ratio below 1, out of the series scored at that horizon.";
    }

    private static void printLeftOut(PrintStream stdout, String run, ReplaySummary summary) {
        for (ReplaySummary.HorizonSummary h : summary.horizons()) {
            if (!h.leftOut().isEmpty()) {
                stdout.printf(Locale.ROOT, "%sh=%d left out: %s%n", run, h.h(), String.join(", ", h.leftOut()));
            }
        }
    }

    /** Adds a labelled series' anomaly scores (0 while unscored) and its rolling z-scores to the NAB corpus. */
    private static void addDetections(CsvSeries s, List<ReplayRunner.Row> rows, Map<String, List<NabScorer.Window>> windows,
                                      List<NabScorer.Series> detections, List<NabScorer.Series> zScores) {
        List<NabScorer.Window> w = windows.get(s.name());
        if (w == null) {
            return;
        }
        long[] ts = new long[rows.size()];
        double[] scores = new double[rows.size()];
        double[] values = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            ts[i] = rows.get(i).timestampMs();
            scores[i] = rows.get(i).anomaly().score();
            values[i] = rows.get(i).actual()[0];
        }
        detections.add(new NabScorer.Series(s.name(), ts, scores, w));
        zScores.add(new NabScorer.Series(s.name(), ts, RollingZScore.scores(values, RollingZScore.WINDOW), w));
    }

    private static void printNab(PrintStream stdout, List<NabScorer.Series> detections, List<NabScorer.Series> zScores) {
        int windows = detections.stream().mapToInt(d -> d.windows().size()).sum();
        stdout.printf(Locale.ROOT, "%nNAB: %d labelled series, %d windows; scores normalised to 0 for a detector that"
                + " never fires and 100 for one that fires at every window's start; one threshold per profile for all"
                + " series, the best (windows detected / missed, false alarms at it). Rolling z-score: 1 - two-sided"
                + " Gaussian tail of the raw value over the previous %d values (NAB's windowed Gaussian).%n%n",
                detections.size(), windows, RollingZScore.WINDOW);
        stdout.println("| profile | model score | threshold | detected / missed / false alarms"
                + " | rolling z-score | threshold | detected / missed / false alarms |");
        stdout.println("|---|---|---|---|---|---|---|");
        for (NabScorer.Profile p : NabScorer.Profile.all()) {
            NabScorer.Result m = NabScorer.score(detections, p);
            NabScorer.Result z = NabScorer.score(zScores, p);
            stdout.printf(Locale.ROOT, "| %s | %.1f | %.4f | %d / %d / %d | %.1f | %.4f | %d / %d / %d |%n", p.name(),
                    m.normalised(), m.threshold(), m.detected(), m.missed(), m.falseAlarms(), z.normalised(),
                    z.threshold(), z.detected(), z.missed(), z.falseAlarms());
        }
    }

    /** A level as a percentage without a trailing .0: 0.1 is 10, 0.025 is 2.5. */
    static String percent(double level) {
        String p = new java.math.BigDecimal(Double.toString(level)).movePointRight(2).stripTrailingZeros().toPlainString();
        return p;
    }

    private static void printIntervals(PrintStream stdout, List<ReplayScores.Baseline> baselines,
                                       List<IntervalScores.SeriesIntervals> series, int horizon) {
        if (series.isEmpty()) {
            return;
        }
        List<double[]> intervals = series.get(0).intervals();
        stdout.printf(Locale.ROOT, "%nINTERVALS: per series and horizon, the share of actuals inside each central"
                + " interval and the weighted quantile loss (WQL, GluonTS's mean over levels) of the model and of the"
                + " best baseline with empirical quantiles (%s, each plus the empirical quantiles of its last %d errors;"
                + " best in hindsight).%n%n", String.join(", ", baselines.stream().map(ReplayScores.Baseline::name).toList()),
                IntervalScores.ERROR_WINDOW);
        StringBuilder header = new StringBuilder("| series | h | pairs |");
        for (double[] iv : intervals) {
            header.append(' ').append(percent(iv[1] - iv[0])).append(" % coverage |");
        }
        stdout.println(header.append(" model WQL | best baseline WQL | best baseline | model / baseline |"));
        stdout.println("|---".repeat(7 + intervals.size()) + "|");
        for (IntervalScores.SeriesIntervals s : series) {
            for (int h : new int[]{1, horizon}) {
                IntervalScores.HorizonIntervals a = s.at(h);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %d |", s.series(), h, a.pairs()));
                for (double c : a.coverage()) {
                    line.append(String.format(Locale.ROOT, " %.3f |", c));
                }
                int best = a.bestBaseline();
                stdout.println(line.append(String.format(Locale.ROOT, " %.4f | %.4f | %s | %s |", a.wql(),
                        a.bestBaselineWql(), best < 0 ? "n/a" : baselines.get(best).name(),
                        ratio(a.wql() / a.bestBaselineWql()))));
            }
        }
        IntervalSummary summary = IntervalSummary.of(series, 0.8, 0.75, 0.85);
        stdout.printf(Locale.ROOT, "%nINTERVAL SUMMARY: coverage of the 80 %% interval over all pairs of all series,"
                + " the series whose own coverage is within 75..85 %%, and the geometric mean over series of model WQL /"
                + " best-baseline WQL with the series where it is below 1.%n%n");
        stdout.println("| h | 80 % coverage | series within 75-85 % | model WQL / best baseline WQL | wins |");
        stdout.println("|---|---|---|---|---|");
        for (IntervalSummary.HorizonSummary h : summary.horizons()) {
            stdout.printf(Locale.ROOT, "| %d | %.1f %% | %d/%d | %s | %d/%d |%n", h.h(), 100 * h.pooledCoverage(),
                    h.seriesWithin(), h.series(), ratio(h.geoMeanWqlRatio()), h.wins(), h.series());
        }
    }

    private static String bestName(ReplayScores.SeriesScores scores, ReplayScores.HorizonScores h) {
        int best = h.bestBaseline();
        return best < 0 ? "n/a" : scores.baselines().get(best).name();
    }

    /** Ratios with three decimals; "n/a" for NaN (no pairs) and "inf" for a zero denominator. */
    private static String ratio(double r) {
        if (Double.isNaN(r)) {
            return "n/a";
        }
        return Double.isInfinite(r) ? "inf" : String.format(Locale.ROOT, "%.3f", r);
    }

    private static String fmt(ReplayScores.Errors e) {
        return String.format(Locale.ROOT, "%.4g / %.3f", e.mae(), e.nrmse());
    }
}
