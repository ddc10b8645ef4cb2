package dev.ddbwarden.local;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mvnw test} runs the unit tests (surefire, *Test) and {@code ./mvnw verify} the integration tests too
 * (failsafe, *IT): both runners must give a test the same JVM (system properties, environment), save which kind
 * of test it is, and a failing integration test must fail the build, which failsafe's verify goal does.
 */
class TestPhasesTest {

    @ParameterizedTest
    @ValueSource(strings = {"functions/warden/pom.xml", "local/pom.xml"})
    void failsafe_shouldFailTheBuild_andConfigureTestsAsSurefireDoes(String pom) throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Project.ROOT.resolve(pom).toFile()).getDocumentElement();
        Element surefire = plugin(project, "maven-surefire-plugin");
        Element failsafe = plugin(project, "maven-failsafe-plugin");

        assertThat(texts(failsafe, "goal")).containsExactlyInAnyOrder("integration-test", "verify");
        assertThat(text(failsafe, "version")).isEqualTo(text(surefire, "version"));
        Map<String, Object> unit = tree(child(surefire, "configuration"));
        Map<String, Object> integration = tree(child(failsafe, "configuration"));
        assertThat(integration.remove("classesDirectory")).isEqualTo("${project.build.outputDirectory}");
        if (unit.containsKey("systemPropertyVariables")) {
            assertThat(props(unit).remove(IntegrationOnly.PROPERTY)).isEqualTo("unit");
            assertThat(props(integration).remove(IntegrationOnly.PROPERTY)).isEqualTo("integration");
        }
        assertThat(integration).isEqualTo(unit);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Map<String, Object> configuration) {
        return (Map<String, Object>) configuration.get("systemPropertyVariables");
    }

    private static Element plugin(Element project, String artifactId) {
        Element plugins = child(child(project, "build"), "plugins");
        return elements(plugins).stream().filter(p -> artifactId.equals(text(p, "artifactId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + artifactId));
    }

    /** An element's children as a map of name to text or to the map of its own children; comments left out. */
    private static Map<String, Object> tree(Element element) {
        Map<String, Object> tree = new TreeMap<>();
        for (Element each : elements(element)) {
            tree.put(each.getTagName(), elements(each).isEmpty() ? each.getTextContent().trim() : tree(each));
        }
        return tree;
    }

    private static List<String> texts(Element element, String tag) {
        List<String> texts = new ArrayList<>();
        var found = element.getElementsByTagName(tag);
        for (int i = 0; i < found.getLength(); i++) {
            texts.add(found.item(i).getTextContent().trim());
        }
        return texts;
    }

    private static String text(Element element, String tag) {
        return child(element, tag).getTextContent().trim();
    }

    private static Element child(Element element, String tag) {
        return elements(element).stream().filter(e -> tag.equals(e.getTagName())).findFirst()
                .orElseThrow(() -> new AssertionError("no <" + tag + "> in <" + element.getTagName() + ">"));
    }

    private static List<Element> elements(Element element) {
        List<Element> children = new ArrayList<>();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child) {
                children.add(child);
            }
        }
        return children;
    }
}
