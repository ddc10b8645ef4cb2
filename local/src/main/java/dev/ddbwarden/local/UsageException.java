package dev.ddbwarden.local;

/** A command line the runner cannot follow; the message says why, and the usage follows it. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
