package dev.ddbwarden.local;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code ./warden}: ddb-warden on a laptop, with no AWS account and no Docker. */
public final class Main {
    private static final String USAGE = String.join("\n",
            "usage: ./warden COMMAND [ARGS]",
            "",
            "  demo                       start moto_server on loopback, replay events/ through the handlers,",
            "                             and show every table before and after, and every alert",
            "  demo --org                 the same for an Organization: a security account and two members, the",
            "                             members' events fixed through member.yaml's role, findings, the sweep",
            "  invoke FUNCTION -e EVENT   run one function as sam local invoke does, against the endpoint",
            "         [--env-vars FILE]   the SDK settings name (AWS_ENDPOINT_URL, AWS_REGION)",
            "         [-t TEMPLATE] [--parameter-overrides 'Key=Value ...']",
            "  deliver -e EVENT           deliver one event as EventBridge would: to every function whose rule",
            "         [--env-vars FILE]   pattern in the template matches it, each run as invoke runs it. EVENT",
            "         [-t TEMPLATE]       is an EventBridge event or a CloudTrail record (from a trail's log file,",
            "         [--parameter-overrides 'Key=Value ...']   event history or CloudTrail Lake), wrapped as",
            "                             EventBridge would. Prints the rules matched and what each function did",
            "                             (or the closest pattern); exit status 1 if one failed or EVENT is unreadable.",
            "  replay-failures --queue URL  re-drive the events a dead-letter or on-failure queue holds through",
            "         [--max N]           the functions they were meant for; delete each message once it",
            "         [--env-vars FILE]   succeeded, keep it when the function threw. Settings as for invoke;",
            "         [-t TEMPLATE]       the stack's LEDGER_TABLE and ALERT_TOPIC_ARN are required.",
            "         [--parameter-overrides 'Key=Value ...']   Exit status 1 if any message failed.",
            SweepCommand.USAGE,
            "");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("ddbwarden.root", ".")).toAbsolutePath().normalize();
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(USAGE);
            return;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int status;
        try {
            switch (args[0]) {
                case "invoke":
                    status = Invoke.run(root, rest);
                    break;
                case "deliver":
                    status = Deliver.run(root, rest);
                    break;
                case "replay-failures":
                    status = ReplayFailures.run(root, rest);
                    break;
                case "sweep":
                    status = SweepCommand.run(rest);
                    break;
                case "demo":
                    // The demo prints its own account of what happened; the handlers' logs would bury it.
                    System.setProperty("ddbwarden.logLevel", "ERROR");
                    status = rest.equals(List.of("--org")) ? DemoOrg.run(root) : Demo.run(root);
                    break;
                default:
                    System.err.println("unknown command '" + args[0] + "'\n" + USAGE);
                    status = 2;
            }
        } catch (UsageException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            status = 2;
        }
        System.exit(status);
    }
}
