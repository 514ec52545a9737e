package dev.lanes.zoo.cli;

import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class PredictCommandTest {
    @TempDir
    Path tmp;

    /** Test image {@code index} of synthetic-digits as a PNG, scaled up 3x, optionally dark on light; returns its label. */
    private static int writeDigit(int index, Path file, boolean darkOnLight) throws IOException {
        Dataset test = Datasets.open(Datasets.SYNTHETIC_DIGITS, Split.TEST, null, index + 1);
        float[] px = new float[28 * 28];
        int label = test.read(index, px, 0);
        BufferedImage img = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                float v = px[(y / 3) * 28 + x / 3];
                int g = Math.round(255 * (darkOnLight ? 1 - v : v));
                img.setRGB(x, y, g << 16 | g << 8 | g);
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return label;
    }

    @Test
    void printsTheTopClassesOfEachImage() throws IOException {
        Path weights = TrainedFixture.weights();
        int right = 0;
        Path[] files = new Path[6];
        int[] labels = new int[6];
        String[] args = new String[5 + files.length];
        System.arraycopy(new String[] {"predict", "lenet5", "--weights", weights.toString(), "--top=2"}, 0, args, 0, 5);
        for (int i = 0; i < files.length; i++) {
            files[i] = tmp.resolve("digit" + i + ".png");
            labels[i] = writeDigit(i, files[i], i % 2 == 1);
            args[5 + i] = files[i].toString();
        }
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.toString());
        String[] blocks = r.out().split("(?m)^(?=\\S)");
        assertEquals(files.length, blocks.length, r.out());
        for (int i = 0; i < files.length; i++) {
            assertTrue(blocks[i].startsWith(files[i].toString()), blocks[i]);
            assertEquals(i % 2 == 1, blocks[i].contains("(inverted: dark on light)"), blocks[i]);
            Matcher m = Pattern.compile("(?m)^  (\\S+)\\s+([0-9.]+)%$").matcher(blocks[i]);
            double sum = 0;
            String first = null;
            int rows = 0;
            while (m.find()) {
                first = first == null ? m.group(1) : first;
                sum += Double.parseDouble(m.group(2));
                rows++;
            }
            assertEquals(2, rows, blocks[i]);
            assertTrue(sum <= 100.01 && sum > 0, blocks[i]);
            right += Integer.toString(labels[i]).equals(first) ? 1 : 0;
        }
        assertTrue(right >= 4, right + " of 6 right\n" + r.out() + Arrays.toString(labels));
    }

    @Test
    void aDamagedOrForeignImageExitsWithTwoNamingTheFile() throws IOException {
        Path weights = TrainedFixture.weights();
        Path png = tmp.resolve("d.png");
        writeDigit(0, png, false);
        byte[] bytes = Files.readAllBytes(png);

        Path flipped = tmp.resolve("flipped.png");
        byte[] f = bytes.clone();
        f[f.length - 20] ^= 0x55; // inside the image data: the chunk's CRC no longer matches
        Files.write(flipped, f);
        CliRun r = CliRun.of("predict", "lenet5", "--weights", weights.toString(), flipped.toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().startsWith("lanes: " + flipped + " at byte ") && r.err().contains("CRC"), r.err());

        Path truncated = tmp.resolve("truncated.png");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        r = CliRun.of("predict", "lenet5", "--weights", weights.toString(), truncated.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("lanes: " + truncated + " at byte "), r.err());

        Path text = Files.writeString(tmp.resolve("notes.png"), "not an image at all");
        r = CliRun.of("predict", "lenet5", "--weights", weights.toString(), text.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(text.toString()) && r.err().contains("not an image"), r.err());

        r = CliRun.of("predict", "lenet5", "--weights", weights.toString(), tmp.resolve("absent.png").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("absent.png"), r.err());

        r = CliRun.of("predict", "lenet5", "--weights", weights.toString());
        assertEquals(2, r.code(), r.toString());
    }
}
