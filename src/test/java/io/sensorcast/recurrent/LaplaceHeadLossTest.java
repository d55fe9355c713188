package io.sensorcast.recurrent;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LaplaceHeadLossTest {

    private static final int EXAMPLES = 7;
    private static final int LABELS = 3;

    private final LaplaceHeadLoss loss = new LaplaceHeadLoss();
    private final ActivationIdentity identity = new ActivationIdentity();

    private static INDArray random(long seed, int rows, int cols, double scale) {
        Random random = new Random(seed);
        double[][] values = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                values[r][c] = random.nextGaussian() * scale;
            }
        }
        return Nd4j.create(values);
    }

    @Test
    void scoreIsMaePlusTheLaplaceNegativeLogLikelihoodPerLabel() {
        INDArray labels = random(1, EXAMPLES, LABELS, 1.0);
        INDArray pre = random(2, EXAMPLES, 2 * LABELS, 1.0);

        INDArray scores = loss.computeScoreArray(labels, pre, identity, null);

        for (int n = 0; n < EXAMPLES; n++) {
            double expected = 0;
            for (int j = 0; j < LABELS; j++) {
                double e = Math.abs(labels.getDouble(n, j) - pre.getDouble(n, j));
                double b = LaplaceHead.scale(pre.getDouble(n, LABELS + j));
                expected += e + e / b + Math.log(b);
            }
            assertThat(scores.getDouble(n, 0)).isCloseTo(expected / LABELS, within(1e-9));
        }
        assertThat(loss.computeScore(labels, pre, identity, null, true))
                .isCloseTo(scores.sumNumber().doubleValue() / EXAMPLES, within(1e-9));
    }

    @Test
    void locationGradientIsExactlyMaes() {
        INDArray labels = random(3, EXAMPLES, LABELS, 1.0);
        INDArray pre = random(4, EXAMPLES, 2 * LABELS, 1.0);
        INDArray location = pre.get(NDArrayIndex.all(), NDArrayIndex.interval(0, LABELS)).dup();

        INDArray gradient = loss.computeGradient(labels, pre, identity, null);
        INDArray mae = new LossMAE().computeGradient(labels, location, identity, null);

        assertThat(gradient.get(NDArrayIndex.all(), NDArrayIndex.interval(0, LABELS)).toDoubleMatrix())
                .isDeepEqualTo(mae.toDoubleMatrix());
    }

    @Test
    void scaleGradientMatchesFiniteDifferencesOfTheScore() {
        INDArray labels = random(5, EXAMPLES, LABELS, 1.0);
        INDArray pre = random(6, EXAMPLES, 2 * LABELS, 1.0);

        INDArray gradient = loss.computeGradient(labels, pre, identity, null);

        double h = 1e-6;
        for (int n = 0; n < EXAMPLES; n++) {
            for (int j = LABELS; j < 2 * LABELS; j++) {
                INDArray up = pre.dup();
                INDArray down = pre.dup();
                up.putScalar(n, j, pre.getDouble(n, j) + h);
                down.putScalar(n, j, pre.getDouble(n, j) - h);
                double numeric = (loss.computeScore(labels, up, identity, null, false)
                        - loss.computeScore(labels, down, identity, null, false)) / (2 * h);
                assertThat(gradient.getDouble(n, j)).as("d score / d raw scale [%d, %d]", n, j)
                        .isCloseTo(numeric, within(1e-6));
            }
        }
    }

    @Test
    void theScaleThatMinimisesTheScoreIsTheMeanAbsoluteError() {
        // One label, many examples with errors of mean absolute value 0.7: the scale's gradient vanishes at 0.7.
        int n = 1000;
        Random random = new Random(7);
        double[][] labels = new double[n][1];
        double sumAbs = 0;
        for (int i = 0; i < n; i++) {
            labels[i][0] = random.nextGaussian();
            sumAbs += Math.abs(labels[i][0]);
        }
        double target = sumAbs / n;
        double raw = Math.log(Math.expm1(target - LaplaceHead.MIN_SCALE));
        double[][] pre = new double[n][2];
        for (int i = 0; i < n; i++) {
            pre[i][1] = raw;
        }

        INDArray gradient = loss.computeGradient(Nd4j.create(labels), Nd4j.create(pre), identity, null);

        assertThat(LaplaceHead.scale(raw)).isCloseTo(target, within(1e-9));
        assertThat(gradient.get(NDArrayIndex.all(), NDArrayIndex.point(1)).sumNumber().doubleValue())
                .isCloseTo(0.0, within(1e-9));
    }

    @Test
    void maskedExamplesScoreAndLearnNothing() {
        INDArray labels = random(8, EXAMPLES, LABELS, 1.0);
        INDArray pre = random(9, EXAMPLES, 2 * LABELS, 1.0);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, EXAMPLES, 1);
        mask.putScalar(2, 0, 0.0);

        INDArray scores = loss.computeScoreArray(labels, pre, identity, mask);
        INDArray gradient = loss.computeGradient(labels, pre, identity, mask);

        assertThat(scores.getDouble(2, 0)).isZero();
        assertThat(gradient.getRow(2).norm1Number().doubleValue()).isZero();
        assertThat(gradient.getRow(3).norm1Number().doubleValue()).isPositive();
    }

    @Test
    void aHeadThatIsNotTwiceTheLabelsIsRefused() {
        assertThatThrownBy(() -> loss.computeScoreArray(random(1, 2, 3, 1), random(2, 2, 5, 1), identity, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice as many outputs as labels");
    }

    @Test
    void scaleIsSoftplusAboveTheFloorWithoutOverflow() {
        assertThat(LaplaceHead.scale(0)).isCloseTo(LaplaceHead.MIN_SCALE + Math.log(2), within(1e-12));
        assertThat(LaplaceHead.scale(1000)).isCloseTo(1000 + LaplaceHead.MIN_SCALE, within(1e-9));
        assertThat(LaplaceHead.scale(-1000)).isCloseTo(LaplaceHead.MIN_SCALE, within(1e-12));
        assertThat(LaplaceHead.quantileOffset(0.9)).isCloseTo(Math.log(5), within(1e-12));
        assertThat(LaplaceHead.quantileOffset(0.1)).isCloseTo(-Math.log(5), within(1e-12));
    }
}
