package dev.ddbwarden.rules.publicaccess;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;

import java.util.List;
import java.util.stream.Collectors;

/** What the public-access rule can ask to be done, besides an alert. */
public sealed interface PublicAccessRemedy extends Remedy {

    /** Take back the statements that leak from each policy named, keeping the rest. */
    record RemovePolicyStatements(List<Remedy.PolicyCut> cuts) implements PublicAccessRemedy {
        public RemovePolicyStatements {
            cuts = List.copyOf(cuts);
        }

        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return cuts.stream().map(Remedy.PolicyCut::done).collect(Collectors.joining(" "));
        }

        @Override
        public String manualStep(TableRef table) {
            return cuts.stream().map(Remedy.PolicyCut::manualStep).collect(Collectors.joining("\n    "));
        }
    }
}
