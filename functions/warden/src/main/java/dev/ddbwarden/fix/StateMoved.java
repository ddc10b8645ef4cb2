package dev.ddbwarden.fix;

/**
 * A conditional write found the resource changed since it was read (another writer got there first):
 * read and decide again rather than overwrite what someone else wrote.
 */
public final class StateMoved extends RuntimeException {
    private final boolean progressMade;

    /** @param progressMade whether part of the remedy was applied before the change was found */
    public StateMoved(String message, boolean progressMade, Throwable cause) {
        super(message, cause);
        this.progressMade = progressMade;
    }

    public boolean progressMade() {
        return progressMade;
    }
}
