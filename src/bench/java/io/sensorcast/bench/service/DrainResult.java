package io.sensorcast.bench.service;

/** One timed drain of a preloaded topic by one variant, with the CPU each process used meanwhile. */
record DrainResult(Variant variant, StateCache cache, int keys, int events, int repetition, double seconds,
                   long forecasts, int trainerRounds, long modelsApplied, long samplesDropped, long changelogRecords,
                   CpuMeter.Use cpu) {

    double eventsPerSecond() {
        return events / seconds;
    }

    @Override
    public String toString() {
        return String.format("keys=%d rep=%d %-10s %-9s %,d events in %.2f s = %,.0f events/s; forecasts %,d; "
                        + "state changelog records %,d; trainer rounds %d, models applied %d, samples dropped %,d; %s",
                keys, repetition, variant.label(), cache.label(), events, seconds, eventsPerSecond(), forecasts,
                changelogRecords, trainerRounds, modelsApplied, samplesDropped, cpu);
    }
}
