package dev.ddbwarden.fix;

/**
 * A conditional write found the resource changed since it was read (another writer got there first):
 * read and decide again rather than overwrite what someone else wrote.
 */
public final class StateMoved extends RuntimeException {
    public StateMoved(String message, Throwable cause) {
        super(message, cause);
    }
}
