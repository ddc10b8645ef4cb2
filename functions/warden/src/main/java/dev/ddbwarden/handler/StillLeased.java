package dev.ddbwarden.handler;

/**
 * Another invocation holds the ledger entry of this event (a concurrent delivery, or a run that died
 * before it could release its lease). The invocation fails so that Lambda retries it later, when the
 * decision is done or the lease has run out: an event is never dropped on that account.
 */
final class StillLeased extends RuntimeException {
    StillLeased(String message) {
        super(message);
    }
}
