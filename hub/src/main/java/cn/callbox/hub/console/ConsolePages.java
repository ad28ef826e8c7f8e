package cn.callbox.hub.console;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.core.io.Resource;
import org.springframework.dao.DataAccessException;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.HubProperties;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's two server-rendered pages: the login form and the shell of the single-page console. The shell carries
 * the user, role, CSRF token, map settings and the texts of the chosen language; everything else is drawn by the
 * scripts under {@code static/console/} from the REST API and the live feed ({@code /api/events}). Every script and
 * style is served by the hub itself (Leaflet from its WebJar): the console works with no internet.
 * <p>
 * Feature scripts are {@code static/console/sections/NN-name.js}, loaded in file-name order, so a feature adds its
 * page without touching this class.
 */
@Controller
class ConsolePages {

    /** Leaflet's version, as in the hub's pom (checked by a test). */
    static final String LEAFLET = "webjars/leaflet/1.9.4/dist/";

    private static final Logger LOG = LoggerFactory.getLogger(ConsolePages.class);

    private final MessageSource messages;
    private final ConsoleProperties properties;
    private final JdbcClient jdbc;
    private final String townshipId;
    private final ConsoleTexts texts = new ConsoleTexts();
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<String> sectionScripts = sectionScripts();

    ConsolePages(MessageSource messages, ConsoleProperties properties, JdbcClient jdbc, HubProperties hub) {
        this.messages = messages;
        this.properties = properties;
        this.jdbc = jdbc;
        this.townshipId = hub.township();
    }

    @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String login(HttpServletRequest request, Locale locale) {
        String title = title(locale);
        StringBuilder body = new StringBuilder();
        body.append("<main class=\"login\">\n<h1>").append(title).append("</h1>\n")
                .append("<h2>").append(text("login.heading", locale)).append("</h2>\n");
        if (request.getParameter("error") != null) {
            body.append("<p class=\"error\" role=\"alert\">").append(text("login.error", locale)).append("</p>\n");
        }
        if (request.getParameter("logout") != null) {
            body.append("<p>").append(text("login.loggedOut", locale)).append("</p>\n");
        }
        body.append("<form method=\"post\" action=\"login\">\n")
                .append("<p><label>").append(text("login.username", locale))
                .append(" <input name=\"username\" id=\"username\" autocomplete=\"username\" required autofocus>")
                .append("</label></p>\n<p><label>").append(text("login.password", locale))
                .append(" <input name=\"password\" id=\"password\" type=\"password\"")
                .append(" autocomplete=\"current-password\" required></label></p>\n")
                .append(csrfField(request))
                .append("<p><button type=\"submit\" id=\"login\">").append(text("login.submit", locale))
                .append("</button></p>\n</form>\n")
                .append(languageSwitch(locale, "login"))
                .append("</main>\n");
        return page(locale, title, "", body, "");
    }

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String console(HttpServletRequest request, Authentication authentication, Locale locale) {
        Caller caller = Caller.of(authentication);
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String head = (csrf == null ? "" : "<meta name=\"_csrf\" content=\"" + htmlEscape(csrf.getToken())
                + "\"><meta name=\"_csrf_header\" content=\"" + htmlEscape(csrf.getHeaderName()) + "\">")
                + "<link rel=\"stylesheet\" href=\"" + LEAFLET + "leaflet.css\">";
        String title = title(locale);
        StringBuilder body = new StringBuilder();
        body.append("<header class=\"top\">\n<h1>").append(title).append("</h1>\n")
                .append("<nav id=\"nav\" aria-label=\"sections\"></nav>\n")
                .append("<div class=\"who\"><span id=\"user\">").append(htmlEscape(caller.username()))
                .append("</span> · <span id=\"role\">")
                .append(text("role." + caller.role().dbName(), locale)).append("</span> ")
                .append(languageSwitch(locale, ""))
                .append("<form method=\"post\" action=\"logout\" class=\"inline\">").append(csrfField(request))
                .append("<button type=\"submit\" id=\"logout\">").append(text("home.logout", locale))
                .append("</button></form></div>\n</header>\n")
                .append("<p id=\"sound-hint\" hidden>").append(text("console.soundHint", locale)).append("</p>\n")
                .append("<div id=\"alarm-banner\" role=\"alert\" hidden></div>\n")
                .append("<main id=\"view\"></main>\n<div id=\"toasts\" aria-live=\"polite\"></div>\n");
        String config = json.writeValueAsString(new ShellConfig(caller.username(), caller.role().dbName(),
                caller.unitId(), ConsoleLocales.isEnglish(locale) ? "en" : "zh-CN", properties.tileUrl(),
                properties.tileAttribution(), properties.tileSubdomains(), texts.texts(locale)));
        StringBuilder scripts = new StringBuilder();
        scripts.append("<script id=\"console-config\" type=\"application/json\">")
                .append(config.replace("</", "<\\/")).append("</script>\n")
                .append("<script src=\"").append(LEAFLET).append("leaflet.js\"></script>\n")
                .append("<script src=\"console/core.js\"></script>\n");
        for (String script : sectionScripts) {
            scripts.append("<script src=\"console/sections/").append(htmlEscape(script)).append("\"></script>\n");
        }
        scripts.append("<script src=\"console/start.js\"></script>\n");
        return page(locale, title, head, body, scripts);
    }

    /** What the scripts need to know about the user and the page. */
    record ShellConfig(String user, String role, String unit, String lang, String tileUrl, String tileAttribution,
            String tileSubdomains, Map<String, String> texts) {
    }

    private String page(Locale locale, String title, String head, CharSequence body, CharSequence scripts) {
        String lang = ConsoleLocales.isEnglish(locale) ? "en" : "zh-CN";
        return "<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n<head><meta charset=\"UTF-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + title + "</title>"
                + "<link rel=\"stylesheet\" href=\"console/console.css\">" + head + "</head>\n<body>\n" + body
                + scripts + "</body>\n</html>\n";
    }

    private String languageSwitch(Locale locale, String path) {
        return ConsoleLocales.isEnglish(locale)
                ? "<a class=\"lang\" id=\"lang\" href=\"" + path + "?lang=zh-CN\" lang=\"zh-CN\">中文</a>"
                : "<a class=\"lang\" id=\"lang\" href=\"" + path + "?lang=en\" lang=\"en\">English</a>";
    }

    private static String csrfField(HttpServletRequest request) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return csrf == null ? "" : "<input type=\"hidden\" name=\"" + htmlEscape(csrf.getParameterName())
                + "\" value=\"" + htmlEscape(csrf.getToken()) + "\">";
    }

    /**
     * The platform's name with the township's as the registry has it ({@code callbox.township}), read at every page so
     * that a registry import renames it; a generic name before the township is registered, or when the database does
     * not answer (the login page still opens).
     */
    private String title(Locale locale) {
        Optional<String> township;
        try {
            township = jdbc.sql("SELECT name FROM township WHERE id = ?").param(townshipId).query(String.class)
                    .optional();
        } catch (DataAccessException e) {
            LOG.warn("Township name not read for the page title: {}", e.toString());
            township = Optional.empty();
        }
        return township.map(name -> text("console.title", locale, name))
                .orElseGet(() -> text("console.title.generic", locale));
    }

    /** Bundle text, HTML-escaped (arguments included). */
    private String text(String key, Locale locale, Object... args) {
        return htmlEscape(messages.getMessage(key, args, locale), "UTF-8");
    }

    private static List<String> sectionScripts() {
        List<String> names = new ArrayList<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(
                    "classpath*:static/console/sections/*.js")) {
                names.add(r.getFilename());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the console's section scripts", e);
        }
        names.sort(null);
        return List.copyOf(names);
    }
}
