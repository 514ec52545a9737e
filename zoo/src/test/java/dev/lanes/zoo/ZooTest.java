package dev.lanes.zoo;

import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Normalize;
import dev.lanes.nn.data.Pad;
import dev.lanes.nn.data.RandomCrop;
import dev.lanes.nn.data.HorizontalFlip;
import dev.lanes.nn.data.Transform;
import dev.lanes.nn.optim.LrSchedule;
import dev.lanes.nn.optim.Optimizer;
import dev.lanes.nn.optim.Sgd;
import dev.lanes.zoo.models.lenet.LeNet5;
import org.junit.jupiter.api.Test;

import java.util.function.LongToDoubleFunction;

import static org.junit.jupiter.api.Assertions.*;

/** The registry of models and recipes, and what a recipe turns into. */
class ZooTest {
    @Test
    void unknownNamesListTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.model("lenet6"));
        assertTrue(e.getMessage().contains("lenet5") && e.getMessage().contains("lenet6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.recipe("nope"));
        assertTrue(e.getMessage().contains("lenet-mnist"), e.getMessage());
    }

    @Test
    void namesAreUnique() {
        ModelSpec lenet = Zoo.model("lenet5");
        assertThrows(IllegalArgumentException.class, () -> Zoo.register(lenet));
        assertThrows(IllegalArgumentException.class, () -> Zoo.register(Zoo.recipe("lenet-mnist")));
    }

    @Test
    void everyModelBuildsOnItsNaturalInputAndNamesKnownRecipes() {
        for (ModelSpec s : Zoo.models()) {
            assertNotNull(Zoo.recipe(s.recipe()), s.name());
            assertNotNull(Zoo.recipe(s.syntheticRecipe()), s.name());
            assertTrue(s.parameterCount() > 0, s.name());
        }
        assertEquals(new ModelInput(1, 32, 32, 10), Zoo.model("lenet5").naturalInput());
        assertEquals("lenet-quick", Zoo.model("lenet5").recipeFor(Datasets.SYNTHETIC_DIGITS));
        assertEquals("lenet-mnist", Zoo.model("lenet5").recipeFor(Datasets.FASHION_MNIST));
        assertInstanceOf(LeNet5.class, Zoo.model("lenet5").create(Zoo.model("lenet5").naturalInput(), 0));
    }

    @Test
    void aRecipeBuildsItsOptimizerScheduleAndTransforms() {
        Recipe r = Recipe.builder("t").optimizer("sgd").lr(0.1).momentum(0.9).nesterov(true).weightDecay(5e-4)
                .schedule("one-cycle").epochs(2).batchSize(32).pad(2).randomCrop(4).flip(true).normalize(true).build();
        Transform[] train = r.trainTransforms(Datasets.MNIST);
        assertEquals(4, train.length);
        assertInstanceOf(Pad.class, train[0]);
        assertInstanceOf(RandomCrop.class, train[1]);
        assertInstanceOf(HorizontalFlip.class, train[2]);
        assertSame(Normalize.MNIST, train[3]);
        assertArrayEquals(new int[] {1, 32, 32}, train[1].outputShape(new int[] {1, 32, 32}));
        Transform[] test = r.testTransforms(Datasets.CIFAR10);
        assertEquals(2, test.length);
        assertSame(Normalize.CIFAR10, test[1]);
        assertEquals(new ModelInput(3, 36, 36, 10), r.input(Datasets.CIFAR10));

        Optimizer opt = r.optimizer(new LeNet5(new ModelInput(1, 32, 32, 10), LeNet5.Variant.CLASSIC));
        assertInstanceOf(Sgd.class, opt);
        LrSchedule s = r.schedule(100);
        assertEquals(0.1 / 25, s.lr(0), 1e-12);
        assertEquals(0.1, s.lr(59), 1e-9); // the peak at 30% of 200 steps
        assertTrue(s.lr(199) < 1e-5);
        LongToDoubleFunction m = r.momentumSchedule(100);
        assertNotNull(m);
        assertEquals(0.95, m.applyAsDouble(0), 1e-12);
        assertEquals(0.85, m.applyAsDouble(59), 1e-9);

        Recipe adam = r.toBuilder().optimizer("adam").schedule("cosine").build();
        assertNull(adam.momentumSchedule(100));
        assertEquals(0.1, adam.schedule(100).lr(0), 1e-12);
        assertEquals(0.05, Recipe.builder("s").lr(0.1).stepSchedule(1, 0.5).build().schedule(10).lr(10), 1e-12);
    }

    @Test
    void badValuesAreRejectedWithTheFieldInTheMessage() {
        assertMessage("optimizer", () -> Zoo.recipe("lenet-mnist").toBuilder().optimizer("rmsprop").build());
        assertMessage("learning rate", () -> Zoo.recipe("lenet-mnist").toBuilder().lr(0).build());
        assertMessage("learning rate", () -> Zoo.recipe("lenet-mnist").toBuilder().lr(Double.NaN).build());
        assertMessage("batch size", () -> Zoo.recipe("lenet-mnist").toBuilder().batchSize(0).build());
        assertMessage("epochs", () -> Zoo.recipe("lenet-mnist").toBuilder().epochs(0).build());
        assertMessage("schedule", () -> Zoo.recipe("lenet-mnist").toBuilder().schedule("linear").build());
        assertMessage("label smoothing", () -> Zoo.recipe("lenet-mnist").toBuilder().labelSmoothing(1).build());
        assertMessage("--limit-train", () -> Zoo.recipe("lenet-mnist").toBuilder().limitTrain(0).build());
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable ex) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ex);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void summaryIsOneLine() {
        assertEquals("sgd lr 0.1 momentum 0.9 wd 0.0005, one-cycle, 10 epochs, batch 64",
                Zoo.recipe("lenet-mnist").summary());
    }
}
