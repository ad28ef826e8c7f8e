package cn.callbox.hub.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.device.CallBoxActions;

/**
 * The audit page names every action the hub records in zh-CN and English: operators read Chinese, and a raw name such
 * as {@code duty-override-remove} tells them little. The actions are read from the hub's sources, so that a feature
 * that starts auditing a new action fails here until it is named.
 */
class AuditActionTextsTest {

    /** {@code audit.record(actor, "action", ...)} and the incident controller's {@code noted(..., "action", ...)}. */
    private static final Pattern RECORDED = Pattern.compile(
            "(?:\\.record\\(\\s*[^,;]+,|noted\\([^;]*?)\\s*\"([a-z]+(?:-[a-z]+)*)\"");

    @Test
    void every_audited_action_has_a_name() {
        Set<String> actions = auditedActions();
        assertThat(actions).contains("incident-close", "drill-start", "duty-swap", "user-create", "firmware-upload",
                "siren-test", "registry-import");

        // English falls back to the Chinese files here; ConsoleTextsTest holds English to the same keys, in English
        Map<String, String> named = new ConsoleTexts().texts(Locale.SIMPLIFIED_CHINESE);
        assertThat(actions).as("audited actions without a name on the audit page")
                .allMatch(action -> named.containsKey("ui.audit.action." + action));
    }

    private static Set<String> auditedActions() {
        Set<String> actions = new TreeSet<>(HubSources.firstGroups(RECORDED));
        // the call-box actions are audited by their wire names
        Arrays.stream(CallBoxActions.Action.values()).map(CallBoxActions.Action::wireName).forEach(actions::add);
        return actions;
    }
}
