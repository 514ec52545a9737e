package dev.lanes.nn.train;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM while training: a shutdown hook asks the trainer to stop at the
 * next step boundary and then holds the JVM's exit until the code inside the try block has
 * finished (the trainer has written its checkpoint and the caller its last lines), or until
 * {@code maxWait} has passed. The process then exits with the signal's status (130 for SIGINT).
 *
 * <pre>{@code
 * try (StopOnShutdown guard = StopOnShutdown.install(trainer, err, Duration.ofMinutes(2))) {
 *     Trainer.Result r = trainer.fit();
 *     ... report r ...
 * }
 * }</pre>
 */
public final class StopOnShutdown implements AutoCloseable {
    private final Thread hook;
    private final CountDownLatch done = new CountDownLatch(1);

    private StopOnShutdown(Trainer trainer, PrintWriter err, Duration maxWait) {
        hook = new Thread(() -> {
            if (done.getCount() == 0) {
                return;
            }
            trainer.requestStop();
            if (err != null) {
                err.println();
                err.println("lanes: stopping at the next step boundary and saving a checkpoint...");
                err.flush();
            }
            try {
                if (!done.await(maxWait.toMillis(), TimeUnit.MILLISECONDS) && err != null) {
                    err.println("lanes: training did not stop within " + maxWait.toSeconds() + " s; exiting without "
                            + "a new checkpoint");
                    err.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lanes-stop-on-shutdown");
    }

    /** Installs the hook; close the returned object when training and reporting are done. */
    public static StopOnShutdown install(Trainer trainer, PrintWriter err, Duration maxWait) {
        StopOnShutdown s = new StopOnShutdown(trainer, err, maxWait);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** Releases a waiting hook and removes it (unless the JVM is already shutting down). */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running or done, and now released
        }
    }
}
