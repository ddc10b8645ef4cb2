package dev.ddbwarden.alert;

/** Sends an alert and returns the ID the channel gave it. */
public interface AlertPublisher {
    String publish(Alert alert);
}
