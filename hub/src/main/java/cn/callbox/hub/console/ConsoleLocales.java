package cn.callbox.hub.console;

import java.time.Duration;
import java.util.Locale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The console speaks zh-CN unless the user switches to English ({@code ?lang=en}, kept in a cookie for a year;
 * {@code ?lang=zh-CN} switches back): the browser's Accept-Language is not consulted for the console, as operators
 * share tablets and PCs set up in any language. API clients ({@code /api/**}) with no cookie get English when their
 * Accept-Language asks for it first (problem texts), zh-CN otherwise.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleLocales implements WebMvcConfigurer {

    static final Locale DEFAULT = Locale.SIMPLIFIED_CHINESE;

    static boolean isEnglish(Locale locale) {
        return locale != null && "en".equals(locale.getLanguage());
    }

    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("callbox-lang");
        resolver.setDefaultLocaleFunction(request -> {
            String accept = request.getHeader("Accept-Language");
            boolean api = request.getRequestURI().startsWith(request.getContextPath() + "/api/");
            return api && accept != null && accept.strip().toLowerCase(Locale.ROOT).startsWith("en") ? Locale.ENGLISH
                    : DEFAULT;
        });
        resolver.setCookieMaxAge(Duration.ofDays(365));
        return resolver;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor change = new LocaleChangeInterceptor();
        change.setParamName("lang");
        change.setIgnoreInvalidLocale(true);
        registry.addInterceptor(change);
    }
}
