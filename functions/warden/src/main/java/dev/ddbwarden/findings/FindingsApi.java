package dev.ddbwarden.findings;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;

/** Where findings are imported: Security Hub, or a stub speaking for it in tests. */
interface FindingsApi {
    /**
     * Imports one batch in {@code account} and {@code region}, signed as that account.
     *
     * @throws Refused     when Security Hub answers with an error (not enabled, throttled, refused)
     * @throws IOException when no answer came
     */
    Imported batchImport(String account, String region, List<ObjectNode> findings) throws IOException;

    /** What BatchImportFindings answered: the findings it took and those it did not, each with AWS's reason. */
    record Imported(int succeeded, int failed, List<Failure> failures) {
        record Failure(String id, String errorCode, String errorMessage) {
        }
    }

    /** Security Hub's error answer, with its HTTP status and AWS's error type. */
    final class Refused extends RuntimeException {
        private final int status;
        private final String type;

        Refused(int status, String type, String message) {
            super("Security Hub answered HTTP " + status + " " + type + (message.isEmpty() ? "" : ": " + message));
            this.status = status;
            this.type = type;
        }

        /** Security Hub is not enabled in the account and region (or the caller may not use it there). */
        boolean notEnabled() {
            return "InvalidAccessException".equals(type);
        }

        /** An answer that the same request may not get again: throttled, or Security Hub's own failure (5xx). */
        boolean passing() {
            return throttled() || status / 100 == 5;
        }

        boolean throttled() {
            return status == 429 || "TooManyRequestsException".equals(type) || "LimitExceededException".equals(type)
                    || "ThrottlingException".equals(type);
        }
    }
}
