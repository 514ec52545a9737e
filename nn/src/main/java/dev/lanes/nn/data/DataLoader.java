package dev.lanes.nn.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Turns a {@link Dataset} into batches: a permutation per epoch drawn from {@code (seed, epoch)}
 * (or the natural order), batches of {@code [B, C, H, W]} floats with their labels, the last
 * partial batch kept or dropped, per-sample {@link Transform}s whose random draws come from
 * {@code (seed, epoch, sample index)}, and the next batch prepared on a background thread while
 * the caller trains on the current one. The batches are the same bit for bit with or without
 * the background thread and whatever its timing.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(train).batchSize(64).seed(42)
 *         .transforms(new Pad(2), Normalize.MNIST).build();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     try (DataLoader.Epoch batches = loader.epoch(epoch)) {
 *         for (Batch b : batches) {
 *             step(b.images(), b.labels());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Buffers are allocated once (prefetch + 1 batches); an epoch allocates its permutation and
 * the background thread, a batch nothing beyond one small generator object per sample when a
 * transform is random. One epoch is open at a time: opening the next closes the previous.
 */
public final class DataLoader implements AutoCloseable {
    private static final long SHUFFLE_STREAM = 0x5348554646L;
    private static final long AUGMENT_STREAM = 0x4155474DL;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final Transform[] transforms;
    /** {@code shapes[t]} is the input shape of transform {@code t}; the last entry is the output. */
    private final int[][] shapes;
    private final boolean random;
    private final int prefetch;
    private final int batches;
    private final Batch[] slots;
    private final float[] scratchA;
    private final float[] scratchB;
    private Epoch open;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.transforms = b.transforms.toArray(new Transform[0]);
        this.prefetch = b.prefetch;
        this.shapes = new int[transforms.length + 1][];
        shapes[0] = dataset.imageShape();
        int maxSize = dataset.sampleSize();
        boolean anyRandom = false;
        for (int t = 0; t < transforms.length; t++) {
            shapes[t + 1] = transforms[t].outputShape(shapes[t].clone());
            if (shapes[t + 1].length != 3 || shapes[t + 1][0] < 1 || shapes[t + 1][1] < 1 || shapes[t + 1][2] < 1) {
                throw new IllegalArgumentException(transforms[t] + " gives the bad sample shape "
                        + Arrays.toString(shapes[t + 1]));
            }
            maxSize = Math.max(maxSize, volume(shapes[t + 1]));
            anyRandom |= transforms[t].isRandom();
        }
        this.random = anyRandom;
        int n = dataset.size();
        this.batches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        int remainder = dropLast ? 0 : n % batchSize;
        this.slots = new Batch[prefetch + 1];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Batch(batchSize, remainder, shapes[transforms.length]);
        }
        this.scratchA = transforms.length == 0 ? new float[0] : new float[maxSize];
        this.scratchB = transforms.length == 0 ? new float[0] : new float[maxSize];
    }

    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch (a last partial batch counts unless dropped). */
    public int batchesPerEpoch() {
        return batches;
    }

    /** Samples per epoch: the data set's size, less the dropped partial batch. */
    public int samplesPerEpoch() {
        return dropLast ? batches * batchSize : dataset.size();
    }

    /** {@code [C, H, W]} of a sample after the transforms. */
    public int[] sampleShape() {
        return shapes[transforms.length].clone();
    }

    /** The order in which epoch {@code epoch} visits the data set (a permutation when shuffling). */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(Seeds.of(seed ^ SHUFFLE_STREAM, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Starts epoch {@code epoch} (closing one still open); close it when done, e.g. with try-with-resources. */
    public Epoch epoch(int epoch) {
        if (open != null) {
            open.close();
        }
        open = new Epoch(epoch, order(epoch));
        return open;
    }

    /** Stops the background thread of the open epoch, if any. */
    @Override
    public void close() {
        if (open != null) {
            open.close();
            open = null;
        }
    }

    private void fill(Batch batch, int epoch, int index, int[] order) {
        int start = index * batchSize;
        int n = Math.min(batchSize, order.length - start);
        batch.reset(epoch, index, n < batchSize);
        float[] out = batch.images().data();
        int outOff = batch.images().offset();
        int outSize = volume(shapes[transforms.length]);
        int[] labels = batch.labels();
        int[] indices = batch.indices();
        for (int k = 0; k < n; k++) {
            int sample = order[start + k];
            indices[k] = sample;
            labels[k] = prepare(sample, epoch, out, outOff + k * outSize);
        }
    }

    /** Reads and transforms one sample into {@code out[off..]}; returns its label. */
    private int prepare(int sample, int epoch, float[] out, int off) {
        if (transforms.length == 0) {
            return dataset.read(sample, out, off);
        }
        int label = dataset.read(sample, scratchA, 0);
        SplittableRandom rnd = random ? new SplittableRandom(Seeds.of(seed ^ AUGMENT_STREAM, epoch, sample)) : null;
        float[] cur = scratchA;
        for (int t = 0; t < transforms.length; t++) {
            float[] dst;
            int dstOff = 0;
            if (t == transforms.length - 1) {
                dst = out;
                dstOff = off;
            } else if (transforms[t].inPlace()) {
                dst = cur;
            } else {
                dst = cur == scratchA ? scratchB : scratchA;
            }
            transforms[t].apply(cur, 0, shapes[t], dst, dstOff, rnd);
            cur = dst;
        }
        return label;
    }

    private static int volume(int[] shape) {
        return shape[0] * shape[1] * shape[2];
    }

    /** A failure of the background thread, handed to the consumer in place of a batch. */
    private record Failure(Throwable error) {
    }

    /**
     * The batches of one epoch, in order. Iterating hands out reused {@link Batch} objects; a
     * batch is valid until the next {@link #next()}. Close it to stop the background thread
     * (reaching the end does not require it, but an abandoned epoch keeps its thread waiting).
     */
    public final class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final BlockingQueue<Batch> free;
        private final BlockingQueue<Object> ready;
        private final Thread producer;
        private volatile boolean cancelled;
        private Batch current;
        private int delivered;
        private boolean closed;

        private Epoch(int epoch, int[] order) {
            this.epoch = epoch;
            this.order = order;
            if (prefetch == 0) {
                free = null;
                ready = null;
                producer = null;
                return;
            }
            free = new ArrayBlockingQueue<>(slots.length, false, List.of(slots));
            ready = new ArrayBlockingQueue<>(slots.length + 1);
            producer = new Thread(this::produce, "lanes-data-loader");
            producer.setDaemon(true);
            producer.start();
        }

        public int epoch() {
            return epoch;
        }

        /** Number of batches this epoch hands out. */
        public int batches() {
            return batches;
        }

        private void produce() {
            try {
                for (int b = 0; b < batches && !cancelled; b++) {
                    Batch slot = free.take();
                    if (cancelled) {
                        return;
                    }
                    fill(slot, epoch, b, order);
                    ready.put(slot);
                }
            } catch (InterruptedException e) {
                // closed by the consumer: stop quietly
            } catch (Throwable t) {
                ready.offer(new Failure(t)); // capacity is slots + 1, so this always fits
            }
        }

        @Override
        public boolean hasNext() {
            return !closed && delivered < batches;
        }

        /**
         * The next batch. A failure while preparing it (a transform that rejects a sample, a
         * data set that throws) is rethrown here, on the consumer's thread, and closes the epoch.
         */
        @Override
        public Batch next() {
            if (closed) {
                throw new IllegalStateException("epoch " + epoch + " is closed");
            }
            if (delivered >= batches) {
                throw new NoSuchElementException("epoch " + epoch + " has only " + batches + " batches");
            }
            if (producer == null) {
                current = slots[0];
                fill(current, epoch, delivered, order);
            } else {
                if (current != null) {
                    free.add(current);
                    current = null;
                }
                Object item;
                try {
                    item = ready.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IllegalStateException("interrupted while waiting for batch " + delivered + " of epoch "
                            + epoch, e);
                }
                if (item instanceof Failure f) {
                    close();
                    throw rethrow(f.error());
                }
                current = (Batch) item;
            }
            delivered++;
            return current;
        }

        private RuntimeException rethrow(Throwable t) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            return new IllegalStateException("preparing a batch of epoch " + epoch + " failed: " + t.getMessage(), t);
        }

        /** This epoch as an iterable, for a for-each loop (single use: it is its own iterator). */
        @Override
        public Iterator<Batch> iterator() {
            return this;
        }

        /** Stops and joins the background thread; idempotent. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            cancelled = true;
            if (producer != null) {
                producer.interrupt();
                boolean interrupted = false;
                while (true) {
                    try {
                        producer.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (open == this) {
                open = null;
            }
        }
    }

    /** Options of a {@link DataLoader}; defaults: batch 64, shuffled with seed 0, last batch kept, one batch prefetched. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 64;
        private boolean shuffle = true;
        private boolean dropLast;
        private long seed;
        private int prefetch = 1;
        private final List<Transform> transforms = new ArrayList<>();

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffle every epoch (a permutation drawn from (seed, epoch)); false keeps the data-set order. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drop the last batch when it is smaller than the batch size. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Seed of the shuffling and of the random transforms. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Transforms applied to every sample, in this order (replaces earlier ones). */
        public Builder transforms(Transform... transforms) {
            this.transforms.clear();
            for (Transform t : transforms) {
                this.transforms.add(Objects.requireNonNull(t, "transform"));
            }
            return this;
        }

        /** Batches prepared ahead on a background thread; 0 prepares each batch on the caller's thread. */
        public Builder prefetch(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("prefetch must be >= 0, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        public DataLoader build() {
            if (dataset.size() == 0) {
                throw new IllegalArgumentException("data set " + dataset.name() + " is empty");
            }
            return new DataLoader(this);
        }
    }
}
