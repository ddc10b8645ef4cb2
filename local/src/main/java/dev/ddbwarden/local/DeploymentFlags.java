package dev.ddbwarden.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags every command that stands in for a deployed function takes, spelled as {@code sam local
 * invoke} spells them: which template ({@code -t}), its parameters ({@code --parameter-overrides}) and
 * the functions' environment ({@code -n}).
 */
final class DeploymentFlags {
    Path template;
    Path envVars;
    final Map<String, String> parameterOverrides = new LinkedHashMap<>();

    DeploymentFlags(Path root) {
        this.template = root.resolve("template.yaml");
    }

    /**
     * Takes the flag at {@code index} with its value if it is one of these.
     *
     * @return the index of the flag's value, or -1 when the flag is not one of these
     */
    int take(List<String> args, int index) {
        String flag = args.get(index);
        switch (flag) {
            case "-n", "--env-vars" -> envVars = Path.of(value(args, index + 1, flag));
            case "-t", "--template", "--template-file" -> template = Path.of(value(args, index + 1, flag));
            case "--parameter-overrides" -> parameterOverrides(value(args, index + 1, flag), parameterOverrides);
            default -> {
                return -1;
            }
        }
        return index + 1;
    }

    /** SAM's {@code --parameter-overrides 'Key=Value Key2=Value2'}, into {@code into}. */
    static void parameterOverrides(String text, Map<String, String> into) {
        for (String pair : text.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                into.put(pair.substring(0, eq).replace("ParameterKey=", ""), pair.substring(eq + 1));
            }
        }
    }

    /** The value after a flag, or a usage error naming the flag. */
    static String value(List<String> args, int index, String flag) {
        if (index >= args.size()) {
            throw new UsageException(flag + " needs a value");
        }
        return args.get(index);
    }
}
