package dev.ddbwarden.local;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.state.Sleeper;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * ddb-warden's own clients ({@link Services#create}, the SDK's standard settings) pointed at an endpoint
 * other than the one this JVM's {@code aws.endpointUrl} names, e.g. a {@link FaultProxy}: the property
 * is switched while the clients are built, then put back. The regional clients and the SQS client a
 * handler builds on first use are built here too, so that they go through the same endpoint.
 */
final class ProxiedServices {
    /** Every region the scenarios name: their clients are built up front, through the proxy. */
    static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "sa-east-1",
            "xx-fake-9", "cn-north-1", "us-gov-west-1");
    private static final String ENDPOINT_PROPERTY = "aws.endpointUrl";

    private ProxiedServices() {
    }

    static Services create(String endpoint, Settings settings) {
        return withEndpoint(endpoint, () -> {
            Services services = Services.create(settings);
            REGIONS.forEach(region -> services.regional().in(LocalAws.ACCOUNT, region));
            services.sqs();
            return services;
        });
    }

    /** The same clients with another clock and sleeper (a later Lambda retry, a faster wait). */
    static Services with(Services services, Clock clock, Sleeper sleeper) {
        return new Services(services.dynamo(), services.sns(), services.sqs(), services.settings(), clock, sleeper,
                services.regional(), services.trail());
    }

    static synchronized <T> T withEndpoint(String endpoint, Supplier<T> work) {
        String previous = System.getProperty(ENDPOINT_PROPERTY);
        System.setProperty(ENDPOINT_PROPERTY, endpoint);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                System.clearProperty(ENDPOINT_PROPERTY);
            } else {
                System.setProperty(ENDPOINT_PROPERTY, previous);
            }
        }
    }
}
