package cn.callbox.hub.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's map ({@code callbox.console.*}).
 *
 * @param tileUrl a Leaflet tile URL template, e.g. {@code https://tile.openstreetmap.org/{z}/{x}/{y}.png} or a
 *        Tianditu/AMap template with its key; empty (the default) draws the township on a plain background, which
 *        also works with no internet at all
 * @param tileAttribution the attribution the tile provider asks for
 * @param tileSubdomains Leaflet's {@code {s}} subdomains for the template
 */
@ConfigurationProperties("callbox.console")
record ConsoleProperties(@DefaultValue("") String tileUrl, @DefaultValue("") String tileAttribution,
        @DefaultValue("abc") String tileSubdomains) {
}
