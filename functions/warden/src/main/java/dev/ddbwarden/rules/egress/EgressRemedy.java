package dev.ddbwarden.rules.egress;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;

import java.util.List;
import java.util.stream.Collectors;

/** What the egress rule can ask to be done, besides an alert. */
public sealed interface EgressRemedy extends Remedy {

    /** DisableKinesisStreamingDestination for each stream: the table stops sending its changes; both stay. */
    record StopStreaming(List<String> streamArns) implements EgressRemedy {
        public StopStreaming {
            streamArns = List.copyOf(streamArns);
        }

        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return "Stopped streaming the table's changes to " + String.join(", ", streamArns)
                    + " (DisableKinesisStreamingDestination); the table and the stream are both kept.";
        }

        @Override
        public String manualStep(TableRef table) {
            return streamArns.stream().map(stream -> "aws dynamodb disable-kinesis-streaming-destination --region "
                    + table.region() + " --table-name " + table.arn() + " --stream-arn " + stream)
                    .collect(Collectors.joining("\n    "));
        }
    }
}
