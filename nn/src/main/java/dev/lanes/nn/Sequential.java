package dev.lanes.nn;

/** Modules applied one after another; children are named 0, 1, 2, ... as in PyTorch. */
public class Sequential extends Module {
    private int size;

    public Sequential(Module... layers) {
        for (Module m : layers) {
            add(m);
        }
    }

    /** Appends a module (named by its position); returns this. */
    public Sequential add(Module m) {
        addModule(Integer.toString(size++), m);
        return this;
    }

    public Module get(int i) {
        return children().get(Integer.toString(i));
    }

    public int size() {
        return size;
    }

    @Override
    public Var forward(Var x) {
        Var y = x;
        for (Module m : children().values()) {
            y = m.forward(y);
        }
        return y;
    }
}
