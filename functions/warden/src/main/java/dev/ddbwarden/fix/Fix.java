package dev.ddbwarden.fix;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.state.TableState;

/**
 * Applies one kind of {@link Remedy} with one idempotent DynamoDB call. A fix acts only on a state the
 * check found wrong just before, and treats a table that vanished as nothing to do.
 */
public interface Fix<R extends Remedy> {

    Class<R> remedy();

    /** IAM actions this fix calls, for the template test. */
    java.util.Set<String> actions();

    Outcome apply(R remedy, TableState state);
}
