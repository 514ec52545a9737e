package dev.lanes.nn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch achieved. Losses are means per image, accuracies fractions in [0, 1];
 * {@code seconds} is the training time of the epoch (its steps, data waits included, the
 * evaluation not) and {@code imagesPerSec} the training throughput; {@code evalSeconds} and
 * {@code evalImagesPerSec} are those of the evaluation. Without a test set the test fields are NaN.
 *
 * @param epoch the epoch, counted from 1
 * @param step  optimizer steps taken when the epoch ended
 * @param lr    the learning rate of the epoch's last step
 */
public record EpochMetrics(int epoch, long step, double trainLoss, double trainAcc, double testLoss, double testAcc,
                           double seconds, double imagesPerSec, double lr, double evalSeconds,
                           double evalImagesPerSec) {

    /** The JSON object of {@code --metrics-out}: snake_case keys, NaN as null. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("step", step);
        m.put("train_loss", orNull(trainLoss));
        m.put("train_acc", orNull(trainAcc));
        m.put("test_loss", orNull(testLoss));
        m.put("test_acc", orNull(testAcc));
        m.put("seconds", orNull(seconds));
        m.put("images_per_sec", orNull(imagesPerSec));
        m.put("lr", orNull(lr));
        m.put("eval_seconds", orNull(evalSeconds));
        m.put("eval_images_per_sec", orNull(evalImagesPerSec));
        return m;
    }

    /** Reads {@link #toJson}'s object back (missing or null numbers become NaN). */
    public static EpochMetrics fromJson(Map<String, ?> m) {
        return new EpochMetrics((int) num(m, "epoch"), (long) num(m, "step"), num(m, "train_loss"), num(m, "train_acc"),
                num(m, "test_loss"), num(m, "test_acc"), num(m, "seconds"), num(m, "images_per_sec"), num(m, "lr"),
                num(m, "eval_seconds"), num(m, "eval_images_per_sec"));
    }

    private static Object orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double num(Map<String, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
