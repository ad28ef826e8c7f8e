package cn.callbox.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver ({@code ./run-tests} installs packages
 * {@code chromium} and {@code chromium-driver}). No browser is downloaded: the paths are Debian's, overridable with
 * {@code -Dcallbox.chromium=} and {@code -Dcallbox.chromedriver=}. Background networking is off: this machine's
 * network is closed and Chromium's own calls home would only fail.
 */
final class Browser implements AutoCloseable {

    final ChromeDriver driver;
    private final Path screenshots;

    Browser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("callbox.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--lang=zh-CN",
                "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("callbox.chromedriver", "/usr/bin/chromedriver"))
                        .toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        screenshots = Path.of(System.getProperty("callbox.screenshots", "target/screenshots"));
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits until the element is there and displayed. */
    WebElement await(By by, Duration timeout) {
        return new WebDriverWait(driver, timeout).until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
        });
    }

    /** Waits until the condition holds (it may throw while it does not). */
    <T> T until(String what, Duration timeout, java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).withMessage(what).ignoring(RuntimeException.class)
                .until(condition);
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Saves a PNG of the page under target/screenshots. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(screenshots);
            Path file = screenshots.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
