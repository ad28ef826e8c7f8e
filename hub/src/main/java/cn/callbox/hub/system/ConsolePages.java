package cn.callbox.hub.system;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import java.security.Principal;
import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

import cn.callbox.hub.registry.TownshipDirectory;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The console's login page and a small landing page (the full console comes later). Server-rendered HTML, text from
 * the {@code messages} bundle (zh-CN unless the browser asks for English); every dynamic value is HTML-escaped.
 */
@Controller
class ConsolePages {

    private final MessageSource messages;
    private final TownshipDirectory directory;

    ConsolePages(MessageSource messages, TownshipDirectory directory) {
        this.messages = messages;
        this.directory = directory;
    }

    @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String login(HttpServletRequest request, Locale locale) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(text("login.heading", locale)).append("</h1>\n");
        if (request.getParameter("error") != null) {
            body.append("<p class=\"error\">").append(text("login.error", locale)).append("</p>\n");
        }
        if (request.getParameter("logout") != null) {
            body.append("<p>").append(text("login.loggedOut", locale)).append("</p>\n");
        }
        body.append("<form method=\"post\" action=\"login\">\n")
                .append("<p><label>").append(text("login.username", locale))
                .append(" <input name=\"username\" autocomplete=\"username\" required autofocus></label></p>\n")
                .append("<p><label>").append(text("login.password", locale))
                .append(" <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
                .append("</label></p>\n");
        if (csrf != null) {
            body.append("<input type=\"hidden\" name=\"").append(htmlEscape(csrf.getParameterName()))
                    .append("\" value=\"").append(htmlEscape(csrf.getToken())).append("\">\n");
        }
        body.append("<p><button type=\"submit\">").append(text("login.submit", locale)).append("</button></p>\n")
                .append("</form>\n");
        return page(locale, body);
    }

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String home(HttpServletRequest request, Principal principal, Locale locale) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(text("home.heading", locale)).append("</h1>\n")
                .append("<p>").append(text("home.signedInAs", locale, principal.getName())).append("</p>\n")
                .append("<p>").append(text("home.summary", locale, directory.callBoxes().size(),
                        directory.units().size())).append("</p>\n")
                .append("<p>").append(text("home.api", locale))
                .append(" <a href=\"api/callboxes\">/api/callboxes</a> · <a href=\"api/units\">/api/units</a>")
                .append(" · <a href=\"api/incidents\">/api/incidents</a></p>\n")
                .append("<form method=\"post\" action=\"logout\">");
        if (csrf != null) {
            body.append("<input type=\"hidden\" name=\"").append(htmlEscape(csrf.getParameterName()))
                    .append("\" value=\"").append(htmlEscape(csrf.getToken())).append("\">");
        }
        body.append("<button type=\"submit\">").append(text("home.logout", locale)).append("</button></form>\n");
        return page(locale, body);
    }

    private String page(Locale locale, CharSequence body) {
        String lang = "en".equals(locale.getLanguage()) ? "en" : "zh-CN";
        return "<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n<head><meta charset=\"UTF-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + text("console.title", locale) + "</title></head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    /** Bundle text, HTML-escaped (arguments included). */
    private String text(String key, Locale locale, Object... args) {
        return htmlEscape(messages.getMessage(key, args, locale), "UTF-8");
    }
}
