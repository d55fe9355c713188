package io.sensorcast.model;

import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.WeightSnapshots;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Holds the model every stream thread serves. Stream threads read it once per event (one volatile
 * read, never a lock); a swap replaces the whole immutable snapshot in one reference write, so no
 * event is ever stepped with a mix of old and new weights. Models that must not serve are refused and
 * the current one stays.
 */
public final class ModelRegistry {

    private final NetworkSpec spec;
    private final AtomicReference<ServingModel> current;
    private final List<Consumer<ServingModel>> swapListeners = new CopyOnWriteArrayList<>();

    public ModelRegistry(NetworkSpec spec, ServingModel initial) {
        this.spec = spec;
        verify(initial);
        this.current = new AtomicReference<>(initial);
    }

    /** The model to step the next event with. */
    public ServingModel current() {
        return current.get();
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** Called after every successful swap, on the swapping thread. */
    public void onSwap(Consumer<ServingModel> listener) {
        swapListeners.add(listener);
    }

    /**
     * Swaps {@code candidate} in if it is newer than the serving model.
     *
     * @return true if it now serves, false if it was not newer (e.g. an old record replayed)
     * @throws InvalidModelException if its shape does not fit or a weight is not finite
     */
    public boolean offer(ServingModel candidate) {
        verify(candidate);
        while (true) {
            ServingModel serving = current.get();
            if (candidate.version() <= serving.version()) {
                return false;
            }
            if (current.compareAndSet(serving, candidate)) {
                swapListeners.forEach(l -> l.accept(candidate));
                return true;
            }
        }
    }

    private void verify(ServingModel model) {
        if (!spec.equals(model.weights().spec())) {
            throw new InvalidModelException("model v" + model.version() + " has shape " + model.weights().spec()
                    + " but this pipeline serves " + spec);
        }
        if (!WeightSnapshots.allFinite(model.weights())) {
            throw new InvalidModelException("model v" + model.version() + " has NaN or infinite weights");
        }
    }
}
