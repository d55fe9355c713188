package io.sensorcast.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores anomaly scores against labelled anomaly windows the way the Numenta Anomaly Benchmark does: every row after
 * a probationary period is a possible detection; a detection inside a window earns a scaled sigmoid of its position
 * (earliest: the full true-positive weight, the window's end: 0), and only the window's earliest detection counts; a
 * window without one costs the false-negative weight; a detection outside every window costs the false-positive
 * weight times a scaled sigmoid of its distance past the last window (before the first window: the full weight). One
 * threshold serves the whole corpus, the one that maximises the summed score, and the sum is normalised to 0 for a
 * detector that never fires and 100 for one that fires exactly at every window's start.
 *
 * <p>Where it differs from NAB's code: the threshold is found by an exhaustive sweep over every distinct score of the
 * corpus (NAB's optimiser climbs from a start point and may stop at a local optimum, so this finds the same or a
 * better threshold); a window edge that is not exactly a row's timestamp is moved to the nearest row inside the window
 * (NAB requires exact timestamps); the perfect score is the true-positive weight per scored window.
 */
public final class NabScorer {

    /** NAB's application profiles: weights of a true positive, a false positive and a false negative. */
    public record Profile(String name, double tpWeight, double fpWeight, double fnWeight) {
        public static final Profile STANDARD = new Profile("standard", 1.0, 0.11, 1.0);
        public static final Profile REWARD_LOW_FP = new Profile("reward_low_FP_rate", 1.0, 0.22, 1.0);
        public static final Profile REWARD_LOW_FN = new Profile("reward_low_FN_rate", 1.0, 0.11, 2.0);

        public static List<Profile> all() {
            return List.of(STANDARD, REWARD_LOW_FP, REWARD_LOW_FN);
        }
    }

    /** A labelled anomaly window, both ends inclusive, epoch ms. */
    public record Window(long startMs, long endMs) {
    }

    /** One series: its row timestamps (ascending), a detector's score per row, and its labelled windows. */
    public record Series(String name, long[] timestamps, double[] scores, List<Window> windows) {
        public Series {
            if (timestamps.length != scores.length) {
                throw new IllegalArgumentException(name + ": " + timestamps.length + " timestamps but " + scores.length
                        + " scores");
            }
            windows = List.copyOf(windows);
        }
    }

    /**
     * A corpus score under one profile.
     *
     * @param threshold  the score at or above which a row counts as a detection (above every score: never fires)
     * @param raw        the summed score at that threshold
     * @param nullScore  the sum for a detector that never fires: minus the false-negative weight per window
     * @param perfect    the sum for a detector that fires exactly at each window's first scored row
     * @param normalised 100 x (raw - null) / (perfect - null)
     * @param detected   windows with a detection
     * @param missed     windows without one
     * @param falseAlarms detections outside every window
     */
    public record Result(Profile profile, double threshold, double raw, double nullScore, double perfect,
                         double normalised, int detected, int missed, int falseAlarms) {
    }

    /** NAB's share of each file that is probationary, and the most rows that share may be. */
    static final double PROBATION_SHARE = 0.15;
    static final int PROBATION_MAX_ROWS = 750;

    private NabScorer() {
    }

    /**
     * NAB's scaled sigmoid of a relative position: -1 is a window's first row (0.98661), 0 its end (0), positive
     * positions are past it (1: -0.98661), and from 3 on the value is -1.
     */
    public static double scaledSigmoid(double position) {
        if (position >= 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * position)) - 1.0;
    }

    /** Rows at the start of a file of {@code rows} rows that are not scored. */
    static int probationaryRows(int rows) {
        return (int) Math.min(Math.floor(PROBATION_SHARE * rows), PROBATION_SHARE * 5000);
    }

    /** A scorable row: its detector score, what a detection there is worth, and its window (global index) or -1. */
    record Point(double score, double worth, int window) {
    }

    /** Every scorable row of {@code series}, with windows numbered from {@code firstWindow}. */
    static List<Point> points(Series series, Profile p, int firstWindow) {
        long[] ts = series.timestamps();
        int n = ts.length;
        int[] windowOf = new int[n];
        java.util.Arrays.fill(windowOf, -1);
        int[] left = new int[series.windows().size()];
        int[] right = new int[series.windows().size()];
        for (int w = 0; w < left.length; w++) {
            Window win = series.windows().get(w);
            left[w] = firstAtOrAfter(ts, win.startMs());
            right[w] = lastAtOrBefore(ts, win.endMs());
            for (int i = left[w]; i <= right[w]; i++) {
                windowOf[i] = w;
            }
        }
        double maxTp = scaledSigmoid(-1.0);
        int probation = probationaryRows(n);
        List<Point> out = new ArrayList<>(n);
        int previousRight = -1;
        int previousWidth = 0;
        for (int i = 0; i < n; i++) {
            int w = windowOf[i];
            double worth;
            if (w >= 0) {
                double width = right[w] - left[w] + 1;
                worth = scaledSigmoid(-(right[w] - i + 1) / width) * p.tpWeight() / maxTp;
            } else {
                double past = previousRight < 0 ? 3.0 : Math.abs(previousRight - i) / (double) (previousWidth - 1);
                worth = scaledSigmoid(past) * p.fpWeight();
            }
            if (i >= probation) {
                out.add(new Point(series.scores()[i], worth, w < 0 ? -1 : firstWindow + w));
            }
            if (w >= 0 && i == right[w]) {
                previousRight = i;
                previousWidth = right[w] - left[w] + 1;
            }
        }
        return out;
    }

    /** Scores a corpus under {@code profile} at the threshold that maximises its summed score. */
    public static Result score(List<Series> corpus, Profile profile) {
        List<Point> all = new ArrayList<>();
        int windows = 0;
        for (Series s : corpus) {
            all.addAll(points(s, profile, windows));
            windows += s.windows().size();
        }
        // A window counts only when some scorable row lies in it (NAB drops windows wholly in the probation).
        boolean[] scored = new boolean[windows];
        for (Point pt : all) {
            if (pt.window() >= 0) {
                scored[pt.window()] = true;
            }
        }
        int scoredWindows = 0;
        for (boolean b : scored) {
            scoredWindows += b ? 1 : 0;
        }
        double nullScore = -profile.fnWeight() * scoredWindows;
        double perfect = profile.tpWeight() * scoredWindows;
        all.sort(Comparator.comparingDouble(Point::score).reversed());
        double[] windowWorth = new double[windows];
        java.util.Arrays.fill(windowWorth, -profile.fnWeight());
        double total = nullScore;
        double bestTotal = nullScore;
        double bestThreshold = Double.POSITIVE_INFINITY;
        int detected = 0;
        int falseAlarms = 0;
        int bestDetected = 0;
        int bestFalseAlarms = 0;
        for (int i = 0; i < all.size(); i++) {
            Point pt = all.get(i);
            if (pt.window() < 0) {
                total += pt.worth();
                falseAlarms++;
            } else {
                double before = windowWorth[pt.window()];
                if (before == -profile.fnWeight() && pt.worth() > before) {
                    detected++;
                }
                windowWorth[pt.window()] = Math.max(before, pt.worth());
                total += windowWorth[pt.window()] - before;
            }
            boolean lastOfScore = i + 1 == all.size() || all.get(i + 1).score() != pt.score();
            if (lastOfScore && total > bestTotal) {
                bestTotal = total;
                bestThreshold = pt.score();
                bestDetected = detected;
                bestFalseAlarms = falseAlarms;
            }
        }
        double normalised = perfect == nullScore ? Double.NaN : 100 * (bestTotal - nullScore) / (perfect - nullScore);
        return new Result(profile, bestThreshold, bestTotal, nullScore, perfect, normalised, bestDetected,
                scoredWindows - bestDetected, bestFalseAlarms);
    }

    private static int firstAtOrAfter(long[] ts, long t) {
        int i = java.util.Arrays.binarySearch(ts, t);
        return i >= 0 ? i : -i - 1;
    }

    private static int lastAtOrBefore(long[] ts, long t) {
        int i = java.util.Arrays.binarySearch(ts, t);
        return i >= 0 ? i : -i - 2;
    }
}
