package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BatchNormTest {
    @Test
    void trainingNormalizesEachChannelAndUpdatesRunningStatisticsLikePyTorch() {
        // channel 0: 1, 2, 3, 4 (mean 2.5, biased var 1.25, unbiased 5/3); channel 1: 10, 10, 10, 30
        Tensor x = Tensor.of(new float[] {1, 2, 10, 10, 3, 4, 10, 30}, 2, 2, 2);
        Tensor rm = Tensor.zeros(2), rv = Tensor.ones(2);
        Var w = Var.constant(Tensor.of(new float[] {2, 1}, 2)), b = Var.constant(Tensor.of(new float[] {0.5f, 0}, 2));
        float[] y = F.batchNorm(Var.constant(x), w, b, rm, rv, true, 0.1f, 1e-5f).value().toArray();
        double inv0 = 1 / Math.sqrt(1.25 + 1e-5);
        assertEquals(2 * (1 - 2.5) * inv0 + 0.5, y[0], 1e-5);
        assertEquals(2 * (4 - 2.5) * inv0 + 0.5, y[5], 1e-5);
        assertEquals(0.1 * 2.5, rm.at(0), 1e-6);
        assertEquals(0.1 * 15, rm.at(1), 1e-6);
        assertEquals(0.9 + 0.1 * 5.0 / 3, rv.at(0), 1e-6);
        assertEquals(0.9 + 0.1 * 100, rv.at(1), 1e-4);
    }

    @Test
    void evaluationUsesTheRunningStatistics() {
        Tensor rm = Tensor.of(new float[] {1, -1}, 2), rv = Tensor.of(new float[] {4, 0.25f}, 2);
        Var x = Var.constant(Tensor.of(new float[] {3, 3, 0, 0}, 1, 2, 2));
        float[] y = F.batchNorm(x, null, null, rm, rv, false, 0.1f, 0f).value().toArray();
        assertArrayEquals(new float[] {1, 1, 2, 2}, y, 1e-6f);
        assertEquals(1f, rm.at(0));
    }

    @Test
    void gradientsMatchFiniteDifferencesIn2dAnd1dForTrainingAndEvaluation() {
        Tensor x4 = Tensor.uniform(1, -2f, 2f, 3, 2, 3, 3);
        Tensor w = Tensor.uniform(2, 0.5f, 1.5f, 2), b = Tensor.uniform(3, -1f, 1f, 2);
        GradCheck.of(in -> F.batchNorm(in[0], in[1], in[2], null, null, true, 0.1f, 1e-5f), x4, w, b).verify();
        Tensor x2 = Tensor.uniform(4, -2f, 2f, 6, 2);
        GradCheck.of(in -> F.batchNorm(in[0], in[1], in[2], null, null, true, 0.1f, 1e-5f), x2, w, b).verify();
        Tensor x3 = Tensor.uniform(5, -2f, 2f, 3, 2, 4);
        GradCheck.of(in -> F.batchNorm(in[0], null, null, null, null, true, 0.1f, 1e-5f), x3).verify();
        Tensor rm = Tensor.of(new float[] {0.3f, -0.2f}, 2), rv = Tensor.of(new float[] {1.5f, 0.7f}, 2);
        GradCheck.of(in -> F.batchNorm(in[0], in[1], in[2], rm, rv, false, 0.1f, 1e-5f), x4, w, b).verify();
    }

    @Test
    void trainingOnASingleValuePerChannelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm(Var.constant(Tensor.ones(1, 3)), null, null, null, null, true, 0.1f, 1e-5f));
        assertTrue(e.getMessage().contains("[1, 3]"), e.getMessage());
    }
}
