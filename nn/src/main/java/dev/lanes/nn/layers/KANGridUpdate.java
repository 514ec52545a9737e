package dev.lanes.nn.layers;

import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.train.StepProgress;
import dev.lanes.nn.train.TrainListener;
import dev.lanes.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grid update during training, as the KAN paper's {@code fit(update_grid=True)} does it: every
 * {@code every} optimizer steps up to step {@code until}, each {@link KANLinear} of the model (in
 * the order of its modules, which is the forward order of the zoo's KANs) moves its grid to the
 * inputs it sees on a fixed batch of training images and refits its splines to the activations it
 * had by least squares ({@link KANLinear#updateGrid}). The layers are updated one after the other,
 * each on the inputs produced by the already updated layers before it.
 *
 * <p>The sample batch is fixed (not the step's random batch), so updates are deterministic and a
 * resumed run repeats them exactly: the grids are buffers, saved in checkpoints. The forward passes
 * run on an inference tape in the model's current mode; the model's other buffers (batch norm's
 * running statistics) are restored afterwards, so an update changes only grids and spline weights.
 */
public final class KANGridUpdate implements TrainListener {
    /** Input rows per layer a refit uses at most (evenly spaced over the sample's rows). */
    public static final int MAX_ROWS = 16_384;
    /** efficient-kan's margin around the data range. */
    public static final float MARGIN = 0.01f;

    private final Module model;
    private final Tensor sample;
    private final long every;
    private final long until;
    private int updates;

    /**
     * @param sample images {@code [N, C, H, W]} (or whatever the model takes), kept as given
     * @param every  update after every {@code every}-th step ({@code >= 1})
     * @param until  the last step after which an update may happen
     */
    public KANGridUpdate(Module model, Tensor sample, long every, long until) {
        if (every < 1 || until < every) {
            throw new IllegalArgumentException("grid update: need every >= 1 and until >= every, got every=" + every
                    + " until=" + until);
        }
        if (layers(model).isEmpty()) {
            throw new IllegalArgumentException("grid update: " + model + " has no KANLinear layer");
        }
        this.model = model;
        this.sample = sample;
        this.every = every;
        this.until = until;
    }

    @Override
    public void step(StepProgress p) {
        long s = p.step();
        if (s % every == 0 && s <= until) {
            update(model, sample, MARGIN);
            updates++;
        }
    }

    /** Grid updates done so far by this listener. */
    public int updates() {
        return updates;
    }

    /** The model's KAN layers (the ones inside {@link KANConv2d} included), in module order. */
    public static List<KANLinear> layers(Module model) {
        List<KANLinear> out = new ArrayList<>();
        if (model instanceof KANLinear k) {
            out.add(k);
        }
        for (Module m : model.namedModules().values()) {
            if (m instanceof KANLinear k && m != model) {
                out.add(k);
            }
        }
        return out;
    }

    /** Updates every KAN layer's grid on {@code sample}, one layer after the other (see the class comment). */
    public static void update(Module model, Tensor sample, float margin) {
        List<KANLinear> kan = layers(model);
        Map<Tensor, Tensor> saved = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> b : model.namedBuffers().entrySet()) {
            if (!b.getKey().endsWith("grid")) {
                saved.put(b.getValue(), b.getValue().copy());
            }
        }
        try {
            for (KANLinear layer : kan) {
                Tensor x;
                layer.captureInputs(MAX_ROWS);
                try (Tape t = Tape.inference()) {
                    model.forward(t.input(sample));
                } finally {
                    x = layer.takeCapturedInput();
                }
                if (x == null) {
                    throw new IllegalStateException("grid update: " + layer + " was not reached by the forward pass");
                }
                layer.updateGrid(x, margin);
            }
        } finally {
            saved.forEach(Tensor::copyFrom);
        }
    }
}
