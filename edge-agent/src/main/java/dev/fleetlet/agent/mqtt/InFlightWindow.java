package dev.fleetlet.agent.mqtt;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A counting window of QoS 1 publishes awaiting PUBACK whose limit can change while in use (it follows the
 * broker's Receive Maximum from every CONNACK). Lowering the limit never revokes slots already taken: the
 * window only admits new publishes again once the count fell below the new limit.
 */
final class InFlightWindow {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private int limit;
    private int used;

    InFlightWindow(int limit) {
        setLimit(limit);
    }

    /** Sets the limit; values below 1 are raised to 1 (one publish at a time is always allowed). */
    void setLimit(int newLimit) {
        lock.lock();
        try {
            limit = Math.max(1, newLimit);
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    int used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a slot, waiting while the window is full. */
    void acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (used >= limit) {
                freed.await();
            }
            used++;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a slot if one frees up within {@code millis}; false otherwise. */
    boolean tryAcquire(long millis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lockInterruptibly();
        try {
            while (used >= limit) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = freed.awaitNanos(nanos);
            }
            used++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            if (used > 0) {
                used--;
            }
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
