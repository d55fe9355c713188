package io.sensorcast.metrics;

/**
 * Online forecast error over the last N scored forecasts of one model version, in units of each sensor's
 * standard deviation (so sensors of any scale aggregate): MAE, NRMSE and skill against persistence.
 * Stream threads of one instance share it, so it is synchronized; each update is a few arithmetic ops.
 */
final class ErrorWindow {

    private final double[] absErrors;
    private final double[] sqErrors;
    private final double[] absNaive;
    private int next;
    private int size;
    private double absSum;
    private double sqSum;
    private double naiveSum;

    ErrorWindow(int capacity) {
        absErrors = new double[capacity];
        sqErrors = new double[capacity];
        absNaive = new double[capacity];
    }

    synchronized void add(double error, double naiveError) {
        if (size == absErrors.length) {
            absSum -= absErrors[next];
            sqSum -= sqErrors[next];
            naiveSum -= absNaive[next];
        } else {
            size++;
        }
        absErrors[next] = Math.abs(error);
        sqErrors[next] = error * error;
        absNaive[next] = Math.abs(naiveError);
        absSum += absErrors[next];
        sqSum += sqErrors[next];
        naiveSum += absNaive[next];
        next = (next + 1) % absErrors.length;
    }

    synchronized double mae() {
        return size == 0 ? Double.NaN : absSum / size;
    }

    /** Root mean squared error in units of the sensors' standard deviation: an NRMSE. */
    synchronized double nrmse() {
        return size == 0 ? Double.NaN : Math.sqrt(Math.max(0, sqSum) / size);
    }

    /** 1 - MAE / MAE of persistence: positive when the model beats persistence. */
    synchronized double skill() {
        return size == 0 || naiveSum <= 0 ? Double.NaN : 1 - absSum / naiveSum;
    }
}
