package dev.lanes.nn;

import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer output shape, parameter count and FLOPs of a model, found by running it once on a
 * zero input of the given shape (in eval mode, on an inference tape) and recording every leaf
 * layer's output. FLOPs count a multiply-add as 2 (convolutions, linear layers, matmuls) and
 * one operation per element for the rest; the ops run between two layers (functional
 * activations, residual additions) are counted in the next layer's row.
 */
public final class Summary {
    private Summary() {
    }

    /** One layer call. */
    public record Row(String name, String type, int[] outputShape, long parameters, long flops) {
    }

    public static List<Row> rows(Module model, int... inputShape) {
        Map<Module, String> names = new IdentityHashMap<>();
        model.namedModules().forEach((k, m) -> names.putIfAbsent(m, k.isEmpty() ? "(model)" : k));
        List<Row> rows = new ArrayList<>();
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Tape tape = Tape.inference()) {
            tape.listen((module, out, flops) -> {
                long params = 0;
                for (Var p : module.ownParameters().values()) {
                    params += p.size();
                }
                rows.add(new Row(names.getOrDefault(module, "?"), module.toString(), out.shape(), params, flops));
            });
            model.forward(tape.input(Tensor.zeros(inputShape)));
        } finally {
            model.train(wasTraining);
        }
        return rows;
    }

    /** A table in the manner of torchsummary, with totals. */
    public static String table(Module model, int... inputShape) {
        List<Row> rows = rows(model, inputShape);
        StringBuilder sb = new StringBuilder();
        String fmt = "%-28s %-44s %-20s %12s %16s%n";
        sb.append(String.format(fmt, "Layer", "Type", "Output shape", "Params", "FLOPs"));
        long flops = 0;
        for (Row r : rows) {
            sb.append(String.format(fmt, r.name(), r.type(), Shapes.toString(r.outputShape()),
                    String.format("%,d", r.parameters()), String.format("%,d", r.flops())));
            flops += r.flops();
        }
        sb.append(String.format("Total parameters: %,d%n", model.parameterCount()));
        sb.append(String.format("Total FLOPs (input %s): %,d%n", Shapes.toString(inputShape), flops));
        return sb.toString();
    }
}
