package org.example.queue;

import java.util.List;

/** Stores jobs. */
public final class JobStore implements Store<Job> {
    private final List<Job> jobs;

    public JobStore(List<Job> jobs) {
        this.jobs = jobs;
    }

    @Override
    public synchronized <T extends Job> T take(Class<T> kind)
            throws InterruptedException {
        return null;
    }

    enum State { NEW, DONE }
}
