package dev.lanes.nn.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.lanes.nn.Module;
import dev.lanes.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an
 * unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON mapping each tensor
 * name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the
 * data that follows) plus an optional {@code "__metadata__"} string map, then the tensor bytes,
 * little-endian and row-major, covering the data area exactly.
 *
 * <p>Writing: tensors in name order, the header padded with spaces to a multiple of 8 bytes
 * (as the reference implementation does, so the data is aligned), written to a temporary file
 * in the target's folder, flushed to disk, then renamed over the target.
 *
 * <p>Reading treats the file as hostile: the header length is checked against a cap of
 * {@link #MAX_HEADER_BYTES} (the reference implementation's) and against the real file size
 * before anything is allocated; the JSON is parsed with Jackson under stream-read constraints
 * with duplicate keys refused; every tensor's dtype, shape and offsets are checked, and the
 * offsets must tile the data area with no gap or overlap. Any problem is a
 * {@link CorruptFileException} naming the file and the byte offset where it was found.
 */
public final class Safetensors {
    /** The largest header accepted: 100,000,000 bytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final int IO_CHUNK = 1 << 20;
    private static final String METADATA = "__metadata__";

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxNumberLength(40)
                    .maxStringLength((int) MAX_HEADER_BYTES)
                    .maxDocumentLength(MAX_HEADER_BYTES)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Safetensors() {
    }

    /** What a file holds: the tensors (converted to float, with their stored types) and the metadata. */
    public record Contents(StateDict tensors, Map<String, String> metadata) {
    }

    // ---- modules -------------------------------------------------------------------------

    /** Saves a module's state dict (with metadata {@code format: pt}, as PyTorch tools expect). */
    public static void save(Module module, Path file) throws IOException {
        save(file, module.stateDict(), Map.of("format", "pt"));
    }

    /**
     * Loads {@code file} into {@code module}: corrupt files throw {@link CorruptFileException};
     * names, shapes and types that do not match throw a {@link StateDictMismatchException}
     * listing every mismatch, and leave the module unchanged.
     */
    public static void load(Module module, Path file) throws IOException {
        module.loadStateDict(load(file), file.toString());
    }

    // ---- writing -------------------------------------------------------------------------

    public static void save(Path file, StateDict tensors) throws IOException {
        save(file, tensors, Map.of());
    }

    /** Writes {@code tensors} (F32 or I64 entries) and {@code metadata} to {@code file}, atomically. */
    public static void save(Path file, StateDict tensors, Map<String, String> metadata) throws IOException {
        List<String> names = new ArrayList<>(tensors.names());
        names.sort(Comparator.naturalOrder());
        byte[] header = header(tensors, names, metadata);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocate(IO_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                buf.putLong(header.length);
                buf.flip();
                writeFully(ch, buf);
                writeFully(ch, ByteBuffer.wrap(header));
                for (String name : names) {
                    StateDict.Entry e = tensors.entries().get(name);
                    Tensor t = e.tensor();
                    float[] d = t.data();
                    buf.clear();
                    for (int i = 0; i < t.size(); i++) {
                        if (buf.remaining() < 8) {
                            buf.flip();
                            writeFully(ch, buf);
                            buf.clear();
                        }
                        e.dtype().write(buf, d[t.offset() + i]);
                    }
                    buf.flip();
                    writeFully(ch, buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The whole file as bytes (the same bytes {@link #save} writes). */
    public static byte[] toBytes(StateDict tensors, Map<String, String> metadata) {
        List<String> names = new ArrayList<>(tensors.names());
        names.sort(Comparator.naturalOrder());
        byte[] header = header(tensors, names, metadata);
        long data = 0;
        for (String n : names) {
            data += (long) tensors.get(n).size() * tensors.dtype(n).bytes();
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(8 + header.length + data)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        for (String n : names) {
            Tensor t = tensors.get(n);
            for (int i = 0; i < t.size(); i++) {
                tensors.dtype(n).write(b, t.data()[t.offset() + i]);
            }
        }
        return b.array();
    }

    private static byte[] header(StateDict tensors, List<String> names, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA);
                for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            long at = 0;
            for (String name : names) {
                if (name.equals(METADATA)) {
                    throw new IllegalArgumentException("a tensor may not be called " + METADATA);
                }
                StateDict.Entry e = tensors.entries().get(name);
                if (e.dtype() != DType.F32 && e.dtype() != DType.I64) {
                    throw new IllegalArgumentException("tensor " + name + ": Lanes saves F32 and I64 only, not " + e.dtype());
                }
                long bytes = (long) e.tensor().size() * e.dtype().bytes();
                g.writeObjectFieldStart(name);
                g.writeStringField("dtype", e.dtype().name());
                g.writeArrayFieldStart("shape");
                for (int d : e.tensor().shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(at);
                g.writeNumber(at + bytes);
                g.writeEndArray();
                g.writeEndObject();
                at += bytes;
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON header in memory", e);
        }
        int pad = (8 - out.size() % 8) % 8;
        for (int i = 0; i < pad; i++) {
            out.write(' ');
        }
        return out.toByteArray();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // ---- reading -------------------------------------------------------------------------

    /** Reads every tensor of {@code file}; see the class comment for the checks. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CorruptFileException(file, 0, "the file has " + size
                        + " bytes, fewer than the 8-byte header length of a safetensors file");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long n = lenBuf.flip().getLong();
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new CorruptFileException(file, 0, "header length " + Long.toUnsignedString(n)
                        + " exceeds the cap of " + MAX_HEADER_BYTES + " bytes");
            }
            if (n < 2) {
                throw new CorruptFileException(file, 0, "header length " + n + " is too short for a JSON object");
            }
            if (8 + n > size) {
                throw new CorruptFileException(file, 0, "header length " + n + " goes beyond the end of the file ("
                        + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8, file);
            byte[] header = hb.array();
            long dataStart = 8 + n, dataLen = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Info> infos = parseHeader(file, header, dataLen, metadata);
            checkTiling(file, infos, dataStart, dataLen);
            StateDict sd = new StateDict();
            for (Info info : infos) {
                sd.put(info.name, readTensor(ch, file, info, dataStart), info.dtype);
            }
            return new Contents(sd, metadata);
        }
    }

    /** The tensors of {@code file}. */
    public static StateDict load(Path file) throws IOException {
        return read(file).tensors();
    }

    private record Info(String name, DType dtype, int[] shape, long begin, long end, long headerAt) {
    }

    private static List<Info> parseHeader(Path file, byte[] header, long dataLen, Map<String, String> metadata)
            throws CorruptFileException {
        int first = 0;
        while (first < header.length && header[first] == ' ') {
            first++;
        }
        if (first >= header.length || header[first] != '{') {
            throw new CorruptFileException(file, 8 + first, "the header does not start with a JSON object");
        }
        List<Info> infos = new ArrayList<>();
        try (JsonParser p = JSON.createParser(header)) {
            expect(file, p, p.nextToken(), JsonToken.START_OBJECT, "the header");
            for (JsonToken tok = p.nextToken(); tok != JsonToken.END_OBJECT; tok = p.nextToken()) {
                if (tok != JsonToken.FIELD_NAME) {
                    throw corrupt(file, p, "expected a tensor name in the header, found " + tok);
                }
                String name = p.currentName();
                long at = 8 + p.currentTokenLocation().getByteOffset();
                if (METADATA.equals(name)) {
                    readMetadata(file, p, metadata);
                } else {
                    infos.add(readInfo(file, p, name, at, dataLen));
                }
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                throw corrupt(file, p, "unexpected " + after + " after the header object");
            }
        } catch (CorruptFileException e) {
            throw e;
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? 8 : 8 + Math.max(0, e.getLocation().getByteOffset());
            throw new CorruptFileException(file, at, "the header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CorruptFileException(file, 8, "the header cannot be parsed: " + e.getMessage(), e);
        }
        return infos;
    }

    private static void readMetadata(Path file, JsonParser p, Map<String, String> metadata) throws IOException {
        expect(file, p, p.nextToken(), JsonToken.START_OBJECT, METADATA);
        for (JsonToken tok = p.nextToken(); tok != JsonToken.END_OBJECT; tok = p.nextToken()) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw corrupt(file, p, METADATA + "." + key + " must be a string");
            }
            metadata.put(key, p.getText());
        }
    }

    private static Info readInfo(Path file, JsonParser p, String name, long at, long dataLen) throws IOException {
        expect(file, p, p.nextToken(), JsonToken.START_OBJECT, "tensor " + name);
        DType dtype = null;
        int[] shape = null;
        long[] offsets = null;
        for (JsonToken tok = p.nextToken(); tok != JsonToken.END_OBJECT; tok = p.nextToken()) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "dtype" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw corrupt(file, p, "tensor " + name + ": dtype must be a string");
                    }
                    dtype = DType.parse(p.getText());
                    if (dtype == null) {
                        throw corrupt(file, p, "tensor " + name + ": unknown dtype " + p.getText());
                    }
                }
                case "shape" -> {
                    long[] dims = readLongs(file, p, v, name, "shape");
                    shape = new int[dims.length];
                    for (int i = 0; i < dims.length; i++) {
                        if (dims[i] > Integer.MAX_VALUE) {
                            throw corrupt(file, p, "tensor " + name + ": dimension " + dims[i] + " is too large");
                        }
                        shape[i] = (int) dims[i];
                    }
                }
                case "data_offsets" -> {
                    offsets = readLongs(file, p, v, name, "data_offsets");
                    if (offsets.length != 2) {
                        throw corrupt(file, p, "tensor " + name + ": data_offsets must be [begin, end]");
                    }
                }
                default -> throw corrupt(file, p, "tensor " + name + ": unexpected key " + key);
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new CorruptFileException(file, at, "tensor " + name + " lacks "
                    + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        long elements = 1;
        try {
            for (int d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            long bytes = Math.multiplyExact(elements, dtype.bytes());
            if (offsets[0] > offsets[1] || offsets[1] > dataLen) {
                throw new CorruptFileException(file, at, "tensor " + name + ": data_offsets [" + offsets[0] + ", "
                        + offsets[1] + "] are out of range of the " + dataLen + "-byte data area");
            }
            if (offsets[1] - offsets[0] != bytes) {
                throw new CorruptFileException(file, at, "tensor " + name + ": data_offsets [" + offsets[0] + ", "
                        + offsets[1] + "] hold " + (offsets[1] - offsets[0]) + " bytes, but " + dtype + " "
                        + java.util.Arrays.toString(shape) + " needs " + bytes);
            }
        } catch (ArithmeticException e) {
            throw new CorruptFileException(file, at, "tensor " + name + ": shape " + java.util.Arrays.toString(shape)
                    + " overflows");
        }
        if (elements > Integer.MAX_VALUE - 8) {
            throw new CorruptFileException(file, at, "tensor " + name + " has " + elements
                    + " elements, more than a Lanes tensor can hold");
        }
        return new Info(name, dtype, shape, offsets[0], offsets[1], at);
    }

    private static long[] readLongs(Path file, JsonParser p, JsonToken start, String name, String what) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw corrupt(file, p, "tensor " + name + ": " + what + " must be an array");
        }
        List<Long> values = new ArrayList<>();
        for (JsonToken tok = p.nextToken(); tok != JsonToken.END_ARRAY; tok = p.nextToken()) {
            if (tok != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0) {
                throw corrupt(file, p, "tensor " + name + ": " + what + " must hold non-negative integers");
            }
            if (values.size() == 64) {
                throw corrupt(file, p, "tensor " + name + ": " + what + " has more than 64 entries");
            }
            values.add(p.getLongValue());
        }
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** The tensors' byte ranges, sorted, must cover [0, dataLen) exactly once. */
    private static void checkTiling(Path file, List<Info> infos, long dataStart, long dataLen) throws CorruptFileException {
        List<Info> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
        long at = 0;
        Info prev = null;
        for (Info i : sorted) {
            if (i.begin < at) {
                throw new CorruptFileException(file, dataStart + i.begin, "tensor " + i.name + " overlaps tensor "
                        + prev.name + " (bytes " + i.begin + ".." + at + " of the data area)");
            }
            if (i.begin > at) {
                throw new CorruptFileException(file, dataStart + at, "bytes " + at + ".." + i.begin
                        + " of the data area belong to no tensor");
            }
            at = i.end;
            prev = i;
        }
        if (at != dataLen) {
            throw new CorruptFileException(file, dataStart + at, "the tensors cover " + at + " bytes but the data area has "
                    + dataLen + (at > dataLen ? " (truncated file)" : " (trailing bytes)"));
        }
    }

    private static Tensor readTensor(FileChannel ch, Path file, Info info, long dataStart) throws IOException {
        if (!info.dtype.convertible()) {
            throw new CorruptFileException(file, info.headerAt, "tensor " + info.name + ": Lanes cannot read "
                    + info.dtype + " values");
        }
        Tensor t = Tensor.zeros(info.shape);
        float[] d = t.data();
        int per = info.dtype.bytes();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(IO_CHUNK, Math.max(per, info.end - info.begin)))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.limit(buf.capacity() - buf.capacity() % per);
        long pos = dataStart + info.begin;
        int i = 0;
        while (i < d.length) {
            buf.clear();
            long want = Math.min(buf.capacity() - buf.capacity() % per, (long) (d.length - i) * per);
            buf.limit((int) want);
            readFully(ch, buf, pos, file);
            buf.flip();
            while (buf.remaining() >= per) {
                d[i++] = info.dtype.read(buf);
            }
            pos += want;
        }
        return t;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new CorruptFileException(file, p, "unexpected end of file");
            }
            p += r;
        }
    }

    private static void expect(Path file, JsonParser p, JsonToken got, JsonToken want, String what) throws CorruptFileException {
        if (got != want) {
            throw corrupt(file, p, what + " must be a JSON object, found " + got);
        }
    }

    private static CorruptFileException corrupt(Path file, JsonParser p, String problem) {
        return new CorruptFileException(file, 8 + Math.max(0, p.currentTokenLocation().getByteOffset()), problem);
    }
}
