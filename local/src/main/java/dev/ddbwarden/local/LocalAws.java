package dev.ddbwarden.local;

/**
 * Points every SDK client built afterwards in this JVM at a local endpoint, through the SDK's own
 * system-property settings (the same settings as AWS_ENDPOINT_URL and AWS_REGION in a shell).
 */
public final class LocalAws {
    public static final String REGION = "us-east-1";
    /** moto_server's default account: the events in events/ name it. */
    public static final String ACCOUNT = "123456789012";

    private LocalAws() {
    }

    public static void pointAt(String endpoint) {
        System.setProperty("aws.endpointUrl", endpoint);
        System.setProperty("aws.region", REGION);
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }
}
