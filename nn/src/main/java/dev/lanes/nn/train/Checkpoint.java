package dev.lanes.nn.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lanes.nn.Module;
import dev.lanes.nn.io.CorruptFileException;
import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.optim.Optimizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A training checkpoint: three files that share a base name, e.g. {@code checkpoint-epoch-003}:
 * the weights ({@code .safetensors}, the model's state dict, loadable by {@code lanes eval}),
 * the optimizer state ({@code .optim.safetensors}: step count and per-parameter buffers), and a
 * small JSON file ({@code .json}) with the position in the run (epoch, batch, step), the seed,
 * the run's description (model, recipe, arguments), the partial sums of an epoch cut short, and
 * the metrics of every finished epoch. Each file is written to a temporary file, flushed and
 * renamed; the JSON comes last and names the other two, so a checkpoint exists only once all
 * three are complete, and an older checkpoint is never touched while a new one is written.
 *
 * @param epoch   the epoch in progress, counted from 0 (equal to the epochs done when {@code batch} is 0)
 * @param batch   batches of that epoch already trained on
 * @param step    optimizer steps taken
 * @param partial sums of the epoch in progress (zero at an epoch boundary)
 */
public record Checkpoint(Path json, Path weights, Path optimizer, int epoch, int batch, long step, long seed,
                         int epochs, int batchesPerEpoch, int imagesPerEpoch, Partial partial,
                         List<EpochMetrics> metrics, Map<String, Object> run) {
    public static final String FORMAT = "lanes-checkpoint";
    public static final int VERSION = 1;
    /** Names of checkpoint JSON files written by {@link #save}. */
    public static final Pattern FILE_NAME = Pattern.compile("checkpoint-epoch-\\d+(-batch-\\d+)?\\.json");
    private static final long MAX_JSON_BYTES = 16L << 20;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    /** Sums over the steps of an unfinished epoch, so that its metrics come out the same after a resume. */
    public record Partial(double lossSum, long correct, int images, double seconds) {
        public static final Partial NONE = new Partial(0, 0, 0, 0);
    }

    /** The base name of a checkpoint at this position: {@code checkpoint-epoch-003} or {@code checkpoint-epoch-004-batch-120}. */
    public static String baseName(int epoch, int batch) {
        return batch == 0 ? String.format("checkpoint-epoch-%03d", epoch)
                : String.format("checkpoint-epoch-%03d-batch-%d", epoch + 1, batch);
    }

    /** True at an epoch boundary. */
    public boolean endOfEpoch() {
        return batch == 0;
    }

    // ---- writing ---------------------------------------------------------------------------

    /**
     * Writes a checkpoint of {@code model} and {@code optimizer} at the given position into
     * {@code dir}; {@code weightsMetadata} goes into the weights file's header. Returns it.
     */
    public static Checkpoint save(Path dir, Module model, Map<String, String> weightsMetadata, Optimizer optimizer,
                                  int epoch, int batch, long seed, int epochs, int batchesPerEpoch, int imagesPerEpoch,
                                  Partial partial, List<EpochMetrics> metrics, Map<String, Object> run)
            throws IOException {
        Files.createDirectories(dir);
        String base = baseName(epoch, batch);
        Path weights = dir.resolve(base + ".safetensors");
        Path optim = dir.resolve(base + ".optim.safetensors");
        Path json = dir.resolve(base + ".json");
        Map<String, String> meta = new LinkedHashMap<>(weightsMetadata);
        meta.putIfAbsent("format", "pt");
        try {
            Safetensors.save(weights, model.stateDict(), meta);
            Safetensors.save(optim, optimizer.stateDict());
            Checkpoint c = new Checkpoint(json, weights, optim, epoch, batch, optimizer.steps(), seed, epochs,
                    batchesPerEpoch, imagesPerEpoch, partial, List.copyOf(metrics), run);
            writeAtomically(json, JSON.writeValueAsBytes(c.toJson()));
            return c;
        } catch (IOException e) {
            // The JSON file is written last: without it the files above are no checkpoint, and
            // the previous checkpoints are untouched.
            throw new IOException("cannot write checkpoint " + json + " (" + e + "); the previous checkpoints in "
                    + dir + " are kept", e);
        }
    }

    private Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("weights", weights.getFileName().toString());
        m.put("optimizer", optimizer.getFileName().toString());
        m.put("epoch", epoch);
        m.put("batch", batch);
        m.put("step", step);
        m.put("seed", seed);
        m.put("epochs", epochs);
        m.put("batches_per_epoch", batchesPerEpoch);
        m.put("images_per_epoch", imagesPerEpoch);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("loss_sum", partial.lossSum());
        p.put("correct", partial.correct());
        p.put("images", partial.images());
        p.put("seconds", partial.seconds());
        m.put("partial", p);
        m.put("metrics", metrics.stream().map(EpochMetrics::toJson).toList());
        m.put("run", run);
        return m;
    }

    /** Writes {@code bytes} to a temporary file beside {@code file}, flushes it to disk and renames it over {@code file}. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Flushes a folder's entries, so that the renames into it (the weights, the optimizer state,
     * then this JSON file) survive a power loss. Best effort: not every platform opens folders.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the rename itself is atomic; only its durability across a power loss is not promised here
        }
    }

    /**
     * Deletes the checkpoints in {@code dir} older than its {@code keep} newest (by step);
     * {@code keep <= 0} keeps all. Only files named as {@link #save} names them are touched.
     */
    public static void prune(Path dir, int keep) throws IOException {
        if (keep <= 0) {
            return;
        }
        List<Checkpoint> all = list(dir);
        for (int i = 0; i < all.size() - keep; i++) {
            Checkpoint c = all.get(i);
            Files.deleteIfExists(c.json()); // first, so that a half-deleted checkpoint is never picked up
            Files.deleteIfExists(c.weights());
            Files.deleteIfExists(c.optimizer());
        }
    }

    // ---- reading ---------------------------------------------------------------------------

    /** The readable, complete checkpoints of {@code dir}, oldest first (by step). */
    public static List<Checkpoint> list(Path dir) throws IOException {
        List<Checkpoint> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> FILE_NAME.matcher(f.getFileName().toString()).matches()).sorted().toList()) {
                try {
                    Checkpoint c = read(f);
                    if (Files.isRegularFile(c.weights()) && Files.isRegularFile(c.optimizer())) {
                        out.add(c);
                    }
                } catch (IOException e) {
                    // not a complete checkpoint: skipped
                }
            }
        }
        out.sort(Comparator.comparingLong(Checkpoint::step).thenComparing(c -> c.json().getFileName().toString()));
        return out;
    }

    /**
     * Reads a checkpoint from its JSON file, its weights file ({@code X.safetensors} means
     * {@code X.json}) or a folder (its newest complete checkpoint). A malformed JSON file gives a
     * {@link CorruptFileException} with the byte offset; a missing one a {@link NoSuchFileException}.
     */
    public static Checkpoint read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            List<Checkpoint> all = list(path);
            if (all.isEmpty()) {
                throw new NoSuchFileException(path.toString(), null, "no complete checkpoint in this folder");
            }
            return all.get(all.size() - 1);
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".optim.safetensors")) {
            path = path.resolveSibling(name.substring(0, name.length() - ".optim.safetensors".length()) + ".json");
        } else if (name.endsWith(".safetensors")) {
            path = path.resolveSibling(name.substring(0, name.length() - ".safetensors".length()) + ".json");
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "checkpoint not found");
        }
        long size = Files.size(path);
        if (size > MAX_JSON_BYTES) {
            throw new CorruptFileException(path, 0, "a checkpoint file of " + size + " bytes is larger than the "
                    + MAX_JSON_BYTES + "-byte limit");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(path));
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getByteOffset());
            throw new CorruptFileException(path, at, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            // Parsing bytes in memory reads no file: this is bad text, e.g. an invalid character
            // in the encoding (UTF-8, 16 or 32) Jackson detected from the first bytes.
            throw new CorruptFileException(path, 0, "not valid JSON text: " + e.getMessage(), e);
        }
        return fromJson(path, root);
    }

    private static Checkpoint fromJson(Path file, JsonNode root) throws CorruptFileException {
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new CorruptFileException(file, 0, "not a Lanes checkpoint (no \"format\": \"" + FORMAT + "\")");
        }
        if (root.path("version").asInt(-1) != VERSION) {
            throw new CorruptFileException(file, 0, "checkpoint version " + root.path("version") + " is not "
                    + VERSION);
        }
        Path weights = sibling(file, root, "weights");
        Path optim = sibling(file, root, "optimizer");
        int epoch = intField(file, root, "epoch", 0);
        int batch = intField(file, root, "batch", 0);
        long step = longField(file, root, "step", 0);
        long seed = longField(file, root, "seed", Long.MIN_VALUE);
        int epochs = intField(file, root, "epochs", 1);
        int batchesPerEpoch = intField(file, root, "batches_per_epoch", 1);
        int imagesPerEpoch = intField(file, root, "images_per_epoch", 1);
        if (batch > batchesPerEpoch || epoch > epochs) {
            throw new CorruptFileException(file, 0, "position epoch " + epoch + ", batch " + batch
                    + " is outside a run of " + epochs + " epochs of " + batchesPerEpoch + " batches");
        }
        JsonNode p = root.path("partial");
        Partial partial = new Partial(p.path("loss_sum").asDouble(0), p.path("correct").asLong(0),
                p.path("images").asInt(0), p.path("seconds").asDouble(0));
        List<EpochMetrics> metrics = new ArrayList<>();
        for (JsonNode m : root.path("metrics")) {
            if (!m.isObject()) {
                throw new CorruptFileException(file, 0, "\"metrics\" must hold objects");
            }
            metrics.add(EpochMetrics.fromJson(JSON.convertValue(m, Map.class)));
        }
        JsonNode run = root.path("run");
        @SuppressWarnings("unchecked")
        Map<String, Object> runMap = run.isObject() ? JSON.convertValue(run, LinkedHashMap.class) : Map.of();
        return new Checkpoint(file, weights, optim, epoch, batch, step, seed, epochs, batchesPerEpoch, imagesPerEpoch,
                partial, metrics, runMap);
    }

    /** A file named in the JSON: a plain name in the same folder, nothing else. */
    private static Path sibling(Path file, JsonNode root, String field) throws CorruptFileException {
        String name = root.path(field).asText("");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
            throw new CorruptFileException(file, 0, "\"" + field + "\" must name a file beside the checkpoint, got '"
                    + name + "'");
        }
        return file.resolveSibling(name);
    }

    private static long longField(Path file, JsonNode root, String field, long min) throws CorruptFileException {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < min) {
            throw new CorruptFileException(file, 0, "\"" + field + "\" must be an integer >= " + min + ", got " + n);
        }
        return n.asLong();
    }

    private static int intField(Path file, JsonNode root, String field, int min) throws CorruptFileException {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min) {
            throw new CorruptFileException(file, 0, "\"" + field + "\" must be an integer >= " + min + ", got " + n);
        }
        return n.asInt();
    }

    // ---- restoring -------------------------------------------------------------------------

    /** Loads the weights into {@code model} and the state into {@code optimizer}; all or nothing per object. */
    public void restore(Module model, Optimizer opt) throws IOException {
        Safetensors.load(model, weights);
        opt.loadStateDict(Safetensors.load(optimizer));
        if (opt.steps() != step) {
            throw new CorruptFileException(optimizer, 0, "the optimizer state is at step " + opt.steps()
                    + " but the checkpoint " + json + " at step " + step);
        }
    }
}
