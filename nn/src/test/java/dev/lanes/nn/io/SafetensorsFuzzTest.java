package dev.lanes.nn.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Fuzzes the safetensors reader, header JSON and data. An input is one mode byte and a body.
 * Mode 0 (even): the body is the whole file. Mode odd: the body's first two bytes (little-endian)
 * give a header length h, the next h bytes are the header JSON and the rest is the data; the
 * target writes the 8-byte length itself, so that the fuzzer explores the JSON and the tensor
 * checks instead of guessing a length that matches. A file the reader accepts must survive a
 * save and re-read with the same tensors.
 */
class SafetensorsFuzzTest extends ReaderFuzzTest {
    @Override
    protected String target() {
        return "safetensors";
    }

    @Timeout(10)
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"I64\"",
            "\"U8\"", "\"F16\"", "\"BF16\"", "\"F64\"", "\"F8_E4M3\"", "\"BOOL\"", "\"U64\"", "[0,4]", "{}"})
    @FuzzTest(maxDuration = "2s")
    @Override
    protected void fuzz(byte[] input) throws Exception {
        check(input);
    }

    @Override
    protected void check(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        byte[] file = (input[0] & 1) == 0 ? Arrays.copyOfRange(input, 1, input.length) : framed(input);
        ReaderFuzzing.read("model.safetensors", file, file.length, path -> {
            Safetensors.Contents read = Safetensors.read(path);
            StateDict saveable = new StateDict();
            for (String name : read.tensors().names()) {
                Tensor t = read.tensors().get(name);
                if (t.size() < 0) {
                    throw new AssertionError(name + " has a negative size");
                }
                saveable.put(name, t, read.tensors().dtype(name) == DType.I64 ? DType.I64 : DType.F32);
            }
            byte[] again = Safetensors.toBytes(saveable, read.metadata());
            java.nio.file.Path copy = path.resolveSibling("copy.safetensors");
            java.nio.file.Files.write(copy, again);
            Safetensors.Contents reread = Safetensors.read(copy);
            if (!reread.tensors().names().equals(saveable.names()) || !reread.metadata().equals(read.metadata())) {
                throw new AssertionError("a file read back after saving has other names or metadata");
            }
            for (String name : saveable.names()) {
                if (!reread.tensors().get(name).contentEquals(saveable.get(name))) {
                    throw new AssertionError("tensor " + name + " differs after saving and reading back");
                }
            }
        });
    }

    private static byte[] framed(byte[] input) {
        if (input.length < 3) {
            return new byte[0];
        }
        int h = Math.min((input[1] & 0xFF) | (input[2] & 0xFF) << 8, input.length - 3);
        ByteBuffer b = ByteBuffer.allocate(8 + input.length - 3).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h).put(input, 3, input.length - 3);
        return b.array();
    }
}
