package dev.ddbwarden.check;

import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether CloudTrail's own record of an event says what the event delivered says: the same call, by the
 * same principal, on the same table. An event reaches ddb-warden through paths an attacker can write to
 * (a direct invoke, a re-check message), so a decision that relaxes protection because of who acted
 * rests on CloudTrail's record, never on the delivered copy alone. Pure.
 */
public sealed interface ActorConfirmation {

    /** CloudTrail's record matches the event. */
    record Confirmed() implements ActorConfirmation {
    }

    /** CloudTrail's record of this event ID says something else: the delivered event was forged. */
    record Forged(List<String> differences) implements ActorConfirmation {
        public Forged {
            differences = List.copyOf(differences);
        }
    }

    /** CloudTrail has no record of the event yet (it delivers in about 5 minutes, without a guarantee). */
    record NotRecordedYet() implements ActorConfirmation {
    }

    /**
     * @param table    the table the decision is about
     * @param recorded CloudTrail's record under the event's ID, empty when it has none (yet)
     */
    static ActorConfirmation judge(ApiCall claimed, TableRef table, Optional<ApiCall> recorded) {
        if (recorded.isEmpty()) {
            return new NotRecordedYet();
        }
        ApiCall record = recorded.get();
        List<String> differences = new ArrayList<>();
        if (!claimed.eventName().equals(record.eventName())) {
            differences.add("the call is " + record.eventName() + ", not " + claimed.eventName());
        }
        if (!claimed.actor().principalArn().equals(record.actor().principalArn())
                || !claimed.actor().arn().equals(record.actor().arn())) {
            differences.add("the actor is " + record.actor().describe() + ", not " + claimed.actor().describe());
        }
        if (TableLocator.locate(claimed).isEmpty()) {
            // A call that names no table (a KMS key's, whose tables a lookup found): the record must name what it names.
            if (!claimed.resourceArns().equals(record.resourceArns())
                    || !claimed.requestParameters().equals(record.requestParameters())) {
                differences.add("the call was on " + record.resourceArns() + " " + Excerpt.line(record.requestParameters().toString())
                        + ", not " + claimed.resourceArns() + " " + Excerpt.line(claimed.requestParameters().toString()));
            }
        } else {
            String recordedTable = TableLocator.locate(record).map(TableRef::arn).orElse("no table");
            if (!table.arn().equals(recordedTable)) {
                differences.add("the table is " + recordedTable + ", not " + table.arn());
            }
        }
        return differences.isEmpty() ? new Confirmed() : new Forged(differences);
    }
}
