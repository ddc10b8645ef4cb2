package dev.ddbwarden.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRemedy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static dev.ddbwarden.TestEvents.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The custom notification format of AWS Chatbot (Amazon Q Developer in chat applications), adminguide/custom-notifs.html. */
class ChatNotificationTest {
    private static final Settings CHAT_ON = Settings.from(name -> "CHAT_NOTIFICATIONS".equals(name) ? "true" : null);
    private static Alert alert(TableRef table, Outcome outcome) {
        Finding finding = new Finding("deletion-protection", Severity.HIGH, table, "deletion protection off",
                "Deletion protection is off on table " + table.name() + ".", new DeletionProtectionRemedy.EnableDeletionProtection());
        return AlertComposer.compose(finding, TestEvents.call(sample("create-table-unprotected.json")), outcome);
    }

    @Test
    void of_shouldHaveTheCustomNotificationShape_withTheSeverityInTitleAndKeywords() {
        ObjectNode chat = ChatNotification.of(alert(TestEvents.table("orders"),
                new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE, "Nothing was changed.")), "m-1");

        assertThat(chat.path("version").asText()).isEqualTo("1.0");
        assertThat(chat.path("source").asText()).isEqualTo("custom");
        assertThat(chat.path("id").asText()).isEqualTo("m-1");
        JsonNode content = chat.path("content");
        assertThat(content.path("textType").asText()).isEqualTo("client-markdown");
        assertThat(content.path("title").asText()).startsWith("[HIGH] ddb-warden deletion-protection: orders");
        assertThat(content.path("description").asText()).contains("Deletion protection is off on table orders.")
                .contains(TestEvents.table("orders").arn());
        assertThat(content.path("nextSteps").isArray()).isTrue();
        assertThat(content.path("nextSteps").get(0).asText()).isNotBlank();
        assertThat(content.path("keywords").get(0).asText()).isEqualTo("HIGH");
        assertThat(content.path("keywords").get(1).asText()).isEqualTo("deletion-protection");
        assertThat(chat.path("metadata").path("summary").asText()).startsWith("[HIGH]");
        assertThat(chat.has("severity")).isFalse();
        assertThat(content.has("severity")).isFalse();
    }

    @Test
    void of_shouldThreadEveryAlertOfOneTable_andNoOther() {
        String orders = ChatNotification.of(alert(TestEvents.table("orders"), new Outcome(Outcome.Action.ALERTED, "a")), "1")
                .path("metadata").path("threadId").asText();
        String ordersAgain = ChatNotification.of(alert(TestEvents.table("orders"), new Outcome(Outcome.Action.FIXED, "b")), "2")
                .path("metadata").path("threadId").asText();
        String other = ChatNotification.of(alert(TestEvents.table("payments"), new Outcome(Outcome.Action.ALERTED, "a")), "3")
                .path("metadata").path("threadId").asText();

        assertThat(orders).isEqualTo(ordersAgain).isNotEqualTo(other);
    }

    @Test
    void of_shouldBoundTheTexts_whenTheDetailIsHuge() {
        Finding finding = new Finding("public-access", Severity.CRITICAL, TestEvents.table("orders"), "open",
                "z".repeat(100_000), new DeletionProtectionRemedy.EnableDeletionProtection());
        Alert alert = AlertComposer.compose(finding, TestEvents.call(sample("create-table-unprotected.json")),
                new Outcome(Outcome.Action.ALERTED, "a"));

        ObjectNode chat = ChatNotification.of(alert, "m");

        assertThat(chat.path("content").path("description").asText()).hasSizeLessThanOrEqualTo(ChatNotification.DESCRIPTION);
        assertThat(chat.path("content").path("title").asText()).hasSizeLessThanOrEqualTo(ChatNotification.TITLE);
    }

    @Test
    void publisher_shouldSendTheAlertFirst_andNeverThrow_whenTheChatTopicFails() {
        List<Alert> sent = new ArrayList<>();
        List<String> counted = new ArrayList<>();
        SnsClient sns = mock(SnsClient.class);
        when(sns.publish(any(Consumer.class))).thenThrow(new IllegalStateException("topic gone"));
        AlertPublisher publisher = ChatPublisher.around(alert -> {
            sent.add(alert);
            return "id-1";
        }, sns, CHAT_ON, name -> ChatPublisher.CHAT_TOPIC_ARN.equals(name) ? "arn:aws:sns:us-east-1:123456789012:chat" : null,
                counted::add);

        String id = publisher.publish(new Alert("[LOW] x", "y", Map.of("severity", "LOW", "rule", "tags")));

        assertThat(id).isEqualTo("id-1");
        assertThat(sent).hasSize(1);
        assertThat(counted).containsExactly(ChatPublisher.FAILED_METRIC);
    }

    @Test
    void around_shouldAddNothing_unlessTurnedOnWithATopic() {
        AlertPublisher next = alert -> "id";
        Function<String, String> topic = name -> ChatPublisher.CHAT_TOPIC_ARN.equals(name) ? "arn:aws:sns:us-east-1:123456789012:c" : null;

        assertThat(ChatPublisher.around(next, mock(SnsClient.class), CHAT_ON, name -> null, m -> { })).isSameAs(next);
        assertThat(ChatPublisher.around(next, mock(SnsClient.class), CHAT_ON, name -> "", m -> { })).isSameAs(next);
        assertThat(ChatPublisher.around(next, mock(SnsClient.class), Settings.from(name -> null), topic, m -> { })).isSameAs(next);
        assertThat(ChatPublisher.around(next, mock(SnsClient.class), CHAT_ON, topic, m -> { })).isInstanceOf(ChatPublisher.class);
        assertThatThrownBy(() -> ChatPublisher.around(next, mock(SnsClient.class),
                Settings.from(name -> "CHAT_NOTIFICATIONS".equals(name) ? "on" : null), topic, m -> { }))
                .isInstanceOf(ConfigException.class);
    }
}
