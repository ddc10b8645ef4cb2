package dev.ddbwarden.handler;

/**
 * The live state does not show yet what the call did (a policy written with CreateTable can stay
 * unreadable for a while). Deciding now could miss a violation, so the invocation fails and Lambda
 * retries it later; nothing was changed and no ledger entry was opened.
 */
final class StateNotVisible extends RuntimeException {
    StateNotVisible(String message) {
        super(message);
    }
}
