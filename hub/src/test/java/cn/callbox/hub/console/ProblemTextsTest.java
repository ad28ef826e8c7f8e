package cn.callbox.hub.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The console words every refusal the hub can answer ({@code ui.problem.<type>}, read by core.js): operators read
 * Chinese, and the problem details' {@code detail} is English. The types are read from the hub's sources, so that a
 * new problem type fails here until the console can say it.
 */
class ProblemTextsTest {

    /** {@code Problems.of(HttpStatus.X, "type", ...)} and the user API's {@code ConflictException("type", ...)}. */
    private static final Pattern TYPE = Pattern.compile(
            "(?:Problems\\.of\\(\\s*HttpStatus\\.[A-Z_]+,|ConflictException\\()\\s*\"([a-z]+(?:-[a-z]+)*)\"");

    @Test
    void every_problem_type_has_console_words() {
        Set<String> types = problemTypes();
        assertThat(types).contains("malformed-body", "incident-not-found", "unit-already-alerted", "last-admin",
                "rollout-running");

        // English falls back to the Chinese files here; ConsoleTextsTest holds English to the same keys, in English
        Map<String, String> texts = new ConsoleTexts().texts(Locale.SIMPLIFIED_CHINESE);
        assertThat(types).as("problem types the console cannot say")
                .allMatch(type -> texts.containsKey("ui.problem." + type));
    }

    private static Set<String> problemTypes() {
        return HubSources.firstGroups(TYPE);
    }
}
