package dev.ddbwarden.fix;

/**
 * DynamoDB refuses a fix for longer than one run can wait (another UpdateTimeToLive within an hour of the last
 * one): nothing is gained by sleeping through it or by Lambda's retries minutes later, so the pipeline sends
 * the event to its delayed re-check queue and tries again there, until the fix lands or the re-checks run out.
 */
public final class RefusedForNow extends RuntimeException {

    /** @param message why DynamoDB refused, as the alert quotes it */
    public RefusedForNow(String message, Throwable cause) {
        super(message, cause);
    }
}
