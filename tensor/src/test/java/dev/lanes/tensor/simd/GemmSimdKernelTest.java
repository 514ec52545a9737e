package dev.lanes.tensor.simd;

import dev.lanes.tensor.Vectorization;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.MethodModel;

import static org.junit.jupiter.api.Assertions.*;

class GemmSimdKernelTest {
    /** C2 inlines hot callees of up to FreqInlineSize = 325 bytes of bytecode (JDK 25 default). */
    private static final int FREQ_INLINE_SIZE = 325;

    /**
     * The micro-kernel must never be inlined into the driver's tile loop: inlined, it runs at
     * about half speed, and whether C2 inlines it depended on compile order, so JVM launches
     * were bimodal. Being larger than FreqInlineSize rules inlining out in every launch; this
     * pins that property so an edit that shrinks the method cannot silently bring it back.
     */
    @Test
    void microKernelBytecodeIsTooLargeForC2ToInline() throws Exception {
        ClassModel cm;
        try (InputStream in = GemmSimdKernel.class.getResourceAsStream("GemmSimdKernel.class")) {
            cm = ClassFile.of().parse(in.readAllBytes());
        }
        MethodModel tile = cm.methods().stream().filter(m -> m.methodName().equalsString("tile"))
                .findFirst().orElseThrow();
        // A parsed method's code model is its Code attribute.
        int bytes = ((CodeAttribute) tile.code().orElseThrow()).codeLength();
        assertTrue(bytes > FREQ_INLINE_SIZE, "tile() is " + bytes + " bytes of bytecode");
    }

    @Test
    void testJvmRunsTheSimdKernel() {
        // The build passes --add-modules jdk.incubator.vector to tests; without it the SIMD
        // tests would silently test the scalar kernel twice.
        assertTrue(Vectorization.enabled(), Vectorization.describe());
        assertTrue(dev.lanes.tensor.Gemm.describe().startsWith("SIMD"), dev.lanes.tensor.Gemm.describe());
    }
}
