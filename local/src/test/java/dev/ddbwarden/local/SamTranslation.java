package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * template.yaml as CloudFormation receives it: its AWS::LanguageExtensions loops expanded (LanguageExtensions, as
 * CloudFormation runs that transform first), then run through the SAM translator that ships with cfn-lint, which
 * cannot read Fn::ForEach itself, as `sam deploy` has it transformed. Only that shows what SAM makes of its own syntax, such as
 * {@code !Ref Function.Alias}, or which version a function gets for a set of Parameters. The functions' CodeUri
 * becomes a stand-in S3 location, as `sam package` makes it; a state machine's local DefinitionUri file is read into
 * its Definition (what `sam package` uploads is that file), so its states are translated and compared too.
 */
final class SamTranslation {
    /**
     * Translates each template named after the Parameters (one process: importing the translator is most of its
     * time), printing each result on a line of its own. The templates are JSON in the long form already (CfnYaml).
     */
    private static final String SCRIPT = """
            import json, os, sys
            from samtranslator.parser import parser
            from samtranslator.translator.translator import Translator
            overrides = json.loads(sys.argv[1])
            for path in sys.argv[2:]:
                with open(path, encoding="utf-8") as file:
                    template = json.load(file)
                for resource in template.get("Resources", {}).values():
                    if resource.get("Type") == "AWS::Serverless::Function":
                        resource["Properties"]["CodeUri"] = "s3://bucket/warden.jar"
                    uri = resource.get("Properties", {}).get("DefinitionUri")
                    if resource.get("Type") == "AWS::Serverless::StateMachine" and isinstance(uri, str) and not uri.startswith("s3://"):
                        with open(os.path.join(os.environ["DDBWARDEN_ROOT"], uri), encoding="utf-8") as definition:
                            resource["Properties"]["Definition"] = json.load(definition)
                        del resource["Properties"]["DefinitionUri"]
                values = {"AWS::StackName": "ddb-warden", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012",
                          "AWS::Partition": "aws"}
                for name, spec in template.get("Parameters", {}).items():
                    raw = str(overrides.get(name, spec.get("Default", "")))
                    values[name] = ([] if raw == "" else raw.split(",")) if "List" in spec["Type"] else raw
                translated = Translator(managed_policy_map={}, sam_parser=parser.Parser()).translate(
                    sam_template=template, parameter_values=values)
                print(json.dumps(translated, default=str))
            """;

    private SamTranslation() {
    }

    /** The translated template of the project, with every Parameter at its default. */
    static JsonNode translate() throws Exception {
        return translate(Map.of());
    }

    /**
     * The translated template of the project as a stack named ddb-warden in 123456789012, us-east-1, gets it
     * with these Parameters (a list as its comma-separated text) and the others at their defaults.
     */
    static JsonNode translate(Map<String, String> parameters) throws Exception {
        return translate(Project.TEMPLATE, parameters);
    }

    /** {@code template} translated as {@link #translate(Map)} translates the project's. */
    static JsonNode translate(Path template, Map<String, String> parameters) throws Exception {
        return translate(List.of(template), parameters).get(0);
    }

    /** Each of {@code templates} translated as {@link #translate(Map)} translates the project's, in their order. */
    static List<JsonNode> translate(List<Path> templates, Map<String, String> parameters) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Path> expanded = new ArrayList<>();
        try {
            List<String> command = new ArrayList<>(List.of("python3", "-c", SCRIPT, json.writeValueAsString(parameters)));
            for (Path template : templates) {
                Path file = Files.createTempFile("template-", ".json");
                expanded.add(file);
                json.writeValue(file.toFile(), Template.read(template).root());
                command.add(file.toString());
            }
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
            builder.environment().put("DDBWARDEN_ROOT", Project.ROOT.toString());
            Process python = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] output = python.getInputStream().readAllBytes();
            if (!python.waitFor(120, TimeUnit.SECONDS) || python.exitValue() != 0) {
                throw new IllegalStateException("the SAM translator failed on " + templates);
            }
            List<JsonNode> translated = new ArrayList<>();
            for (String line : new String(output, StandardCharsets.UTF_8).split("\n")) {
                translated.add(json.readTree(line));
            }
            if (translated.size() != templates.size()) {
                throw new IllegalStateException("the SAM translator gave " + translated.size() + " templates for " + templates);
            }
            return translated;
        } finally {
            for (Path file : expanded) {
                Files.deleteIfExists(file);
            }
        }
    }
}
