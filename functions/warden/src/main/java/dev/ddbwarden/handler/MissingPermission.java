package dev.ddbwarden.handler;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.util.Set;

/** Recognises "you are not allowed" in the spellings AWS services use, so that it is reported, not retried. */
final class MissingPermission {
    private static final Set<String> CODES = Set.of("AccessDeniedException", "AccessDenied", "AuthorizationError",
            "UnauthorizedOperation", "KMSAccessDeniedException", "KMS.AccessDeniedException");

    private MissingPermission() {
    }

    static boolean is(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            String code = aws.awsErrorDetails().errorCode();
            if (code != null && CODES.contains(code)) {
                return true;
            }
        }
        return e.statusCode() == 403;
    }
}
