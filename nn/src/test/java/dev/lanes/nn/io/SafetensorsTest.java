package dev.lanes.nn.io;

import dev.lanes.nn.Sequential;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Linear;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file laid out by hand from the spec: u64 LE header length, JSON header, data. */
    private static byte[] file(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    private static byte[] le(Object... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object v : values) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (v instanceof Float f) {
                b.putFloat(f);
            } else if (v instanceof Long l) {
                b.putLong(l);
            } else if (v instanceof Double d) {
                b.putDouble(d);
            } else if (v instanceof Short s) {
                b.putShort(s);
            }
            out.write(b.array(), 0, b.position());
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsAFileBuiltByHandFromTheSpec() throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[16,24]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[24,28]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[28,30]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[30,38]}}  ";
        byte[] data = le(1.5f, -2f, 0f, 3.25f, 7L, (short) 0x3c00, (short) 0xc000, (short) 0x3fc0, 0.1);
        Safetensors.Contents c = Safetensors.read(write("hand.safetensors", file(json, data)));
        assertEquals(Map.of("format", "pt"), c.metadata());
        StateDict sd = c.tensors();
        assertEquals(List.of("w", "n", "h", "b", "d"), List.copyOf(sd.names()));
        assertArrayEquals(new int[] {2, 2}, sd.get("w").shape());
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 3.25f}, sd.get("w").toArray());
        assertEquals(DType.I64, sd.dtype("n"));
        assertEquals(0, sd.get("n").rank());
        assertEquals(7f, sd.get("n").at(0));
        assertArrayEquals(new float[] {1f, -2f}, sd.get("h").toArray());
        assertEquals(1.5f, sd.get("b").at(0));
        assertEquals(0.1f, sd.get("d").at(0));
    }

    @Test
    void writesExactlyTheBytesTheSpecDescribes() throws IOException {
        StateDict sd = new StateDict()
                .put("z.bias", Tensor.of(new float[] {0.5f}, 1))
                .put("a.weight", Tensor.of(new float[] {1f, -1f}, 1, 2))
                .put("a.count", Tensor.of(new float[] {3f}), DType.I64);
        Path p = dir.resolve("out.safetensors");
        Safetensors.save(p, sd, Map.of("format", "pt"));
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a.count\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"a.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[8,16]},"
                + "\"z.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        byte[] expected = file(padded, le(3L, 1f, -1f, 0.5f));
        assertArrayEquals(expected, Files.readAllBytes(p));
        assertArrayEquals(expected, Safetensors.toBytes(sd, Map.of("format", "pt")));
        assertEquals(0, (8 + padded.length()) % 8, "data starts 8-byte aligned");
    }

    @Test
    void aModelRoundTripsBitExactly() throws IOException {
        Sequential model = new Sequential(new Conv2d(3, 4, 3), new BatchNorm2d(4), new Linear(5, 2));
        model.initialize(7);
        Tensor w = model.stateDict().get("0.weight");
        // awkward values must survive too
        w.data()[0] = -0f;
        w.data()[1] = Float.MIN_VALUE;
        w.data()[2] = Float.POSITIVE_INFINITY;
        w.data()[3] = Float.intBitsToFloat(0x7fc00123);
        model.stateDict().get("1.running_var").data()[2] = 1.2345678f;
        model.stateDict().get("1.num_batches_tracked").data()[0] = 12345;
        Path p = dir.resolve("model.safetensors");
        Safetensors.save(model, p);
        Sequential copy = new Sequential(new Conv2d(3, 4, 3), new BatchNorm2d(4), new Linear(5, 2));
        copy.initialize(8);
        Safetensors.load(copy, p);
        StateDict a = model.stateDict(), b = copy.stateDict();
        assertTrue(a.contentEquals(b));
        assertEquals(0x7fc00123, Float.floatToRawIntBits(b.get("0.weight").at(3)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aSecondSaveReplacesTheFileAndAFailedSaveKeepsTheOldOne() throws IOException {
        Path p = dir.resolve("ckpt.safetensors");
        Safetensors.save(p, new StateDict().put("x", Tensor.ones(3)));
        Safetensors.save(p, new StateDict().put("x", Tensor.full(2f, 3)));
        assertEquals(2f, Safetensors.load(p).get("x").at(0));
        StateDict unsupported = new StateDict().put("x", Tensor.ones(3), DType.F16);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.save(p, unsupported));
        assertEquals(2f, Safetensors.load(p).get("x").at(0));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void loadingIntoAModelReportsEveryMismatchWithTheFileName() throws IOException {
        Path p = dir.resolve("other.safetensors");
        Safetensors.save(new Sequential(new Linear(4, 3), new Linear(3, 2)), p);
        Sequential model = new Sequential(new Linear(4, 3), new Linear(3, 5), new Linear(5, 1));
        Tensor before = model.stateDict().get("0.weight").copy();
        StateDictMismatchException e = assertThrows(StateDictMismatchException.class, () -> Safetensors.load(model, p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(model.stateDict().get("0.weight").contentEquals(before), "nothing is loaded on a mismatch");
    }

    private CorruptFileException corrupt(String name, byte[] bytes) throws IOException {
        Path p = write(name, bytes);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> Safetensors.read(p));
        assertEquals(p, e.file());
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("at byte " + e.offset()), e.getMessage());
        return e;
    }

    private static final String ONE = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @Test
    void malformedFilesGiveClearErrorsWithFileAndOffset() throws IOException {
        byte[] data8 = new byte[8];
        assertEquals(0, corrupt("short", new byte[5]).offset());
        // header length beyond the file
        byte[] good = file("{" + ONE + "}", data8);
        byte[] longer = good.clone();
        ByteBuffer.wrap(longer).order(ByteOrder.LITTLE_ENDIAN).putLong(0, good.length);
        assertTrue(corrupt("beyond", longer).getMessage().contains("beyond the end"));
        // absurd sizes: over the cap, and a u64 above 2^63
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertTrue(corrupt("huge", huge).getMessage().contains("cap"));
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -5L);
        assertTrue(corrupt("negative", huge).getMessage().contains("18446744073709551611"));
        // bad JSON, and JSON that is not an object
        CorruptFileException bad = corrupt("badjson", file("{\"a\":{\"dtype\":", data8));
        assertTrue(bad.getMessage().contains("JSON") && bad.offset() >= 8, bad.getMessage());
        corrupt("array", file("[1,2,3] ", data8));
        corrupt("dup", file("{" + ONE + "," + ONE + "}", data8));
        corrupt("deep", file("{\"__metadata__\":{\"x\":[[[[[[[[[[[1]]]]]]]]]]]}}", data8));
        // wrong entries
        CorruptFileException dtype = corrupt("dtype", file("{\"a\":{\"dtype\":\"F31\",\"shape\":[2],\"data_offsets\":[0,8]}}", data8));
        assertTrue(dtype.getMessage().contains("unknown dtype F31") && dtype.offset() > 8, dtype.getMessage());
        corrupt("meta", file("{\"__metadata__\":{\"k\":1}," + ONE + "}", data8));
        corrupt("negdim", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", data8));
        corrupt("missing", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", data8));
        corrupt("extra", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", data8));
        corrupt("size", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", data8));
        CorruptFileException overflow = corrupt("overflow", file(
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", data8));
        assertTrue(overflow.getMessage().contains("overflows"), overflow.getMessage());
        corrupt("toolarge", file("{\"a\":{\"dtype\":\"U8\",\"shape\":[3000000000],\"data_offsets\":[0,8]}}", data8));
        // offsets: out of range, overlapping, leaving a hole, not covering the data, truncated data
        assertTrue(corrupt("range", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", data8))
                .getMessage().contains("out of range"));
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertTrue(corrupt("overlap", file(two, new byte[12])).getMessage().contains("overlaps"));
        String hole = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        CorruptFileException h = corrupt("hole", file(hole, new byte[12]));
        assertTrue(h.getMessage().contains("belong to no tensor"), h.getMessage());
        assertTrue(corrupt("trailing", file("{" + ONE + "}", new byte[12])).getMessage().contains("trailing"));
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        assertTrue(corrupt("truncated", truncated).getMessage().contains("out of range"));
    }

    @Test
    void aCorruptFileNeverLoadsIntoAModel() throws IOException {
        Path p = write("garbage.safetensors", "this is not a safetensors file at all".getBytes(StandardCharsets.UTF_8));
        Linear model = new Linear(2, 2);
        assertThrows(CorruptFileException.class, () -> Safetensors.load(model, p));
    }
}
