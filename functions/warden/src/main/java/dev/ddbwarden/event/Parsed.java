package dev.ddbwarden.event;

/** What reading an event gave: a call to look at, or the reason it was set aside. */
public sealed interface Parsed permits Parsed.Call, Parsed.Rejected {

    record Call(ApiCall call) implements Parsed {
    }

    record Rejected(String reason) implements Parsed {
    }
}
