package dev.ddbwarden.rules.ttl;

import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.RefusedForNow;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.time.Duration;
import java.util.Set;

/**
 * UpdateTimeToLive(Enabled=false) over the attribute TTL is on for. DynamoDB refuses any UpdateTimeToLive on a
 * table for up to an hour after the last one with a ValidationException (API Reference, UpdateTimeToLive), and
 * the call this undoes was seconds ago: that refusal is {@link RefusedForNow}, which the pipeline retries from its
 * delayed re-check queue. ValidationException has no class of its own in the SDK: it is told by its error code.
 */
final class DisableTtlFix implements Fix<TtlRemedy.DisableTtl> {
    static final String VALIDATION = "ValidationException";
    /** A table in the middle of another change is worth trying again soon. */
    private static final Duration IN_USE_WAIT = Duration.ofSeconds(5);

    private final RegionalDynamo dynamo;

    DisableTtlFix(RegionalDynamo dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Class<TtlRemedy.DisableTtl> remedy() {
        return TtlRemedy.DisableTtl.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:UpdateTimeToLive");
    }

    @Override
    public Outcome apply(TtlRemedy.DisableTtl remedy, TableState state) {
        TtlRule.Ttl before = state.augment(TtlRule.Ttl.class).orElse(TtlRule.Ttl.OFF);
        if (!before.on()) {
            return new Outcome(Outcome.Action.ALREADY_COMPLIANT, "TTL was already off.", state);
        }
        String attribute = before.attribute().isEmpty() ? remedy.attribute() : before.attribute();
        try {
            dynamo.in(state.ref()).updateTimeToLive(r -> r.tableName(state.ref().arn())
                    .timeToLiveSpecification(s -> s.enabled(false).attributeName(attribute)));
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could turn TTL off.");
        } catch (ResourceInUseException e) {
            throw new ResourceBusy("table " + state.ref().arn() + " is being changed", IN_USE_WAIT, null, e);
        } catch (DynamoDbException e) {
            if (e.awsErrorDetails() != null && VALIDATION.equals(e.awsErrorDetails().errorCode())) {
                throw new RefusedForNow("DynamoDB answered UpdateTimeToLive with a ValidationException ("
                        + e.awsErrorDetails().errorMessage() + "): it refuses another change of TTL on a table for up to"
                        + " an hour after the last one.", e);
            }
            throw e;
        }
        return new Outcome(Outcome.Action.FIXED, remedy.done(),
                state.withAugment(TtlRule.Ttl.class, new TtlRule.Ttl(TtlRule.Ttl.DISABLING, attribute)));
    }
}
