package io.sensorcast.training;

import io.sensorcast.model.ModelRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs the online trainer on its own thread: drains the sample buffer, trains when due and hands
 * accepted candidates to the publisher. Stream threads never wait on it; if it falls behind, the
 * sample buffer's intake drops steps rather than blocking them.
 */
public final class TrainerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerLoop.class);

    private final OnlineTrainer trainer;
    private final Consumer<ModelRecord> publisher;
    private final Consumer<OnlineTrainer.Round> rounds;
    private final long pollMillis;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param publisher where accepted candidates go (the model topic; in replay, the registry directly)
     * @param rounds    told about every round (metrics)
     */
    public TrainerLoop(OnlineTrainer trainer, Consumer<ModelRecord> publisher, Consumer<OnlineTrainer.Round> rounds,
                       Duration poll) {
        this.trainer = trainer;
        this.publisher = publisher;
        this.rounds = rounds;
        this.pollMillis = poll.toMillis();
        this.thread = new Thread(this::loop, "sensorcast-trainer");
        this.thread.setDaemon(true);
        // Training is heavy but never urgent: serving threads come first on a busy machine.
        this.thread.setPriority(Thread.MIN_PRIORITY);
    }

    public TrainerLoop start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (running) {
            try {
                OnlineTrainer.Round round = trainer.trainIfDue();
                if (round != null) {
                    rounds.accept(round);
                    round.published().ifPresent(publisher);
                } else {
                    Thread.sleep(pollMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // A failed round or publish loses one candidate; the next round trains again.
                LOG.error("Training round failed", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            // The caller is being interrupted itself: keep its flag, the trainer thread is already told to stop.
            Thread.currentThread().interrupt();
        }
    }
}
