package dev.ddbwarden.alert;

import java.util.Map;

/**
 * One SNS message: a subject and body for people, and attributes subscribers filter on
 * ({@code severity}, {@code rule}, {@code account}, {@code region}).
 */
public record Alert(String subject, String body, Map<String, String> attributes) {
    public Alert {
        attributes = Map.copyOf(attributes);
    }
}
