package dev.ddbwarden.backup;

/**
 * A call to AWS Backup that gave no answer, sorted into the few cases a rule decides on: the resource is not there,
 * ddb-warden was refused, AWS Backup could not answer now (throttling, 5xx, no connection: retried before this is
 * thrown), or anything else. Each rule fails closed on every one of them, saying which.
 */
public final class BackupApiException extends RuntimeException {
    /** The closed set of failures. */
    public enum Kind { NOT_FOUND, ACCESS_DENIED, RETRYABLE, OTHER }

    private final Kind kind;

    BackupApiException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    BackupApiException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Why AWS Backup gave no answer, in words for an alert. */
    public String reason() {
        return switch (kind) {
            case NOT_FOUND -> "AWS Backup says it does not exist (" + getMessage() + ")";
            case ACCESS_DENIED -> "AWS Backup refused ddb-warden (" + getMessage() + ")";
            case RETRYABLE -> "AWS Backup did not answer in time (" + getMessage() + ")";
            case OTHER -> "AWS Backup answered with an error (" + getMessage() + ")";
        };
    }
}
