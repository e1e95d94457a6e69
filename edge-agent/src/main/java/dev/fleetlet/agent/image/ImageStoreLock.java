package dev.fleetlet.agent.image;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps garbage collection away from pulls in progress: a pull stores blobs before its image record
 * exists, so a collection running in between would see them as unreferenced. Pulls share the lock;
 * a collection takes it exclusively and waits for running pulls to finish.
 */
public final class ImageStoreLock {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    public <T> T whilePulling(Supplier<T> pull) {
        lock.readLock().lock();
        try {
            return pull.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    public <T> T exclusively(Supplier<T> collection) {
        lock.writeLock().lock();
        try {
            return collection.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
