package dev.lanes.zoo.cli;

import dev.lanes.nn.io.Safetensors;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code lanes predict capsnet --save-reconstruction}: the decoder's image as a PNG. */
class PredictReconstructionTest {
    @TempDir
    Path tmp;

    private Path digit(String name) throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 6; y < 22; y++) {
            img.getRaster().setSample(13, y, 0, 255);
            img.getRaster().setSample(14, y, 0, 255);
        }
        Path f = tmp.resolve(name);
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    @Test
    void capsnetWritesTheReconstructionOfEachImageAndPrintsCapsuleLengths() throws IOException {
        ModelSpec spec = Zoo.model("capsnet");
        Path weights = tmp.resolve("capsnet.safetensors");
        Safetensors.save(spec.create(spec.naturalInput(), 3), weights);
        Path a = digit("a.png"), b = digit("b.png"), out = tmp.resolve("recon.png");
        CliRun r = CliRun.of("predict", "capsnet", "--weights", weights.toString(), "--top=1",
                "--save-reconstruction", out.toString(), a.toString(), b.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("length 0."), r.out());
        for (String name : new String[] {"recon-1.png", "recon-2.png"}) {
            Path png = tmp.resolve(name);
            assertTrue(Files.exists(png), name + " missing: " + r.out());
            assertTrue(r.out().contains(png.toString()), r.out());
            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(28, img.getWidth());
            assertEquals(28, img.getHeight());
        }
    }

    @Test
    void aModelWithoutDecoderIsABadArgument() throws IOException {
        Path weights = TrainedFixture.weights();
        CliRun r = CliRun.of("predict", "lenet5", "--weights", weights.toString(), "--save-reconstruction",
                tmp.resolve("x.png").toString(), digit("c.png").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("no decoder"), r.err());
    }
}
