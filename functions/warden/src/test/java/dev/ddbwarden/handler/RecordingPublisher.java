package dev.ddbwarden.handler;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertPublisher;

import java.util.ArrayList;
import java.util.List;

/** Keeps every alert it is asked to publish; can be told to fail the next few, as SNS sometimes does. */
final class RecordingPublisher implements AlertPublisher {
    private final List<Alert> published = new ArrayList<>();
    private final List<Compliant> compliant = new ArrayList<>();
    private int failuresLeft;

    @Override
    public String publish(Alert alert) {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IllegalStateException("SNS is unavailable");
        }
        published.add(alert);
        return "msg-" + published.size();
    }

    @Override
    public void compliant(List<Compliant> found) {
        compliant.addAll(found);
    }

    List<Compliant> compliant() {
        return compliant;
    }

    void failNext(int times) {
        failuresLeft = times;
    }

    List<Alert> published() {
        return published;
    }
}
