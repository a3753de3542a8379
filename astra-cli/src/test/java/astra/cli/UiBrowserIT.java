package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import astra.cli.fixtures.UiTasks;
import astra.core.testing.PostgresSchema;
import astra.core.testing.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code astra ui}'s page in a real browser (Debian's headless Chromium, driven by its
 * chromedriver), over real processes: the README's example pipeline run twice by {@code ./astra}
 * from an empty directory, the second run failing on a corrupt spectrum, then {@code ./astra ui
 * --allow-actions} in that directory, on SQLite and on PostgreSQL. It checks what a person sees on
 * each page, the log of a running task growing without a reload, a reset with the token and with a
 * wrong one, and a read-only server; it leaves a screenshot of each page in
 * {@code target/ui-screenshots/}.
 *
 * <p>Without Chromium and chromedriver the tests are skipped with the reason, unless
 * {@code $ASTRA_TEST_REQUIRE_BROWSER=1} (CI), which fails them instead. Nothing is downloaded:
 * the browser and the driver are named, so Selenium Manager never runs.
 */
class UiBrowserIT {

    static final String REQUIRE_ENV = "ASTRA_TEST_REQUIRE_BROWSER";
    static final Path CHROMIUM = Path.of(envOr("ASTRA_TEST_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(envOr("ASTRA_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target/ui-screenshots").toAbsolutePath();
    static final Duration PATIENCE = Duration.ofSeconds(30);

    static final String BAD_LINE = "expected 'wavelength,flux', got '5000.0,oops'";
    static final Set<String> FAMILIES = Set.of("ProcessField", "SummarizeField", "EstimateLabels", "ContinuumNormalize",
            "SyntheticSpectrum");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static boolean announced;
    private static ChromeDriverService service;
    private static WebDriver driver;

    @TempDir
    Path workDir;

    /** The processes a test started (astra ui, a run), stopped after it whatever happened. */
    private final List<Process> started = new ArrayList<>();

    /** Each test checks for the browser (so a skip lists every test with its reason); the first starts it. */
    @BeforeEach
    void startBrowser() throws IOException {
        requireBrowser();
        if (driver != null) {
            return;
        }
        Files.createDirectories(SCREENSHOTS);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,1000",
                "--disable-dev-shm-usage");
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : started) {
            stop(p);
        }
    }

    @Test
    void aPersonSeesTheRunsTheFailureAndTheLogsAndResetsOnSqlite() throws Exception {
        walkThrough("sqlite", LauncherIT.CONFIG);
    }

    @Test
    void aPersonSeesTheRunsTheFailureAndTheLogsAndResetsOnPostgresql() throws Exception {
        try (PostgresSchema schema = TestDatabases.postgres()) {
            Path config = schema.writeConfig(workDir.resolve("pg.cfg"), Files.readString(Path.of(LauncherIT.CONFIG)));
            try {
                walkThrough("postgres", config.toString());
            } finally {
                stopProcesses(); // before the schema is dropped
                started.clear();
            }
        }
    }

    private void walkThrough(String label, String config) throws Exception {
        // ---- what a new user does: a good run, a corrupt input, a failing run
        LauncherIT.Result good = astra("--cp", LauncherIT.EXAMPLES, "run", "ProcessField", "--field", "42",
                "--n-stars", "4", "--config", config);
        assertThat(good.code()).as(good.err()).isZero();
        Path bad = workDir.resolve("out/dr17/v1.0/field-0043/star-0003.spectrum.csv");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "wavelength,flux\n5000.0,oops\n");
        LauncherIT.Result failing = astra("--cp", LauncherIT.EXAMPLES, "run", "ProcessField", "--field", "43",
                "--n-stars", "4", "--config", config);
        assertThat(failing.code()).as(failing.out() + failing.err()).isEqualTo(3);
        Matcher failedId = Pattern.compile("ContinuumNormalize_dr17_43_3_[0-9a-f]+").matcher(failing.out());
        assertThat(failedId.find()).as(failing.out()).isTrue();
        String failedTask = failedId.group();

        Ui ui = startUi("--allow-actions", "--config", config);
        assertThat(ui.token()).as(ui.line()).isNotNull();

        // ---- the runs page: both runs, their states and counts
        driver.get(ui.url());
        List<WebElement> runs = waitForAtLeast(By.cssSelector("[data-test=run-row]"), 2);
        assertThat(runs).hasSize(2);
        WebElement goodRow = rowOf(runs, "--field 42");
        WebElement failedRow = rowOf(runs, "--field 43");
        assertThat(stateIn(goodRow)).isEqualTo("SUCCESS");
        assertThat(counts(goodRow)).containsEntry("done", "14").containsEntry("failed", "0")
                .containsEntry("pending", "0");
        assertThat(stateIn(failedRow)).isEqualTo("FAILED");
        assertThat(counts(failedRow)).containsEntry("done", "9").containsEntry("failed", "1")
                .containsEntry("pending", "3");
        String runId = failedRow.getDomAttribute("data-run");
        assertNoStrayNull();
        screenshot(label, "runs");

        // ---- the failing run's page: ContinuumNormalize has failed 1
        failedRow.findElement(By.linkText("run " + runId)).click();
        waitForAtLeast(By.cssSelector("[data-test=family-row][data-family=ContinuumNormalize]"), 1);
        Map<String, Map<String, String>> families = new java.util.TreeMap<>();
        for (WebElement row : driver.findElements(By.cssSelector("[data-test=family-row]"))) {
            families.put(row.getDomAttribute("data-family"), counts(row));
        }
        assertThat(families.keySet()).isEqualTo(Set.copyOf(FAMILIES));
        assertThat(families.get("ContinuumNormalize")).containsEntry("failed", "1").containsEntry("done", "3");
        assertThat(families.get("EstimateLabels")).containsEntry("pending", "1").containsEntry("done", "3");
        assertThat(driver.findElements(By.cssSelector("[data-test=worker-row]"))).isNotEmpty();
        assertThat(text(By.cssSelector("[data-test=summary]"))).contains(failedTask).contains(BAD_LINE);
        assertNoStrayNull();
        screenshot(label, "run");

        // ---- the graph: the five families, requirements drawn as edges; a family opens its tasks
        driver.findElement(By.linkText("Graph")).click();
        List<WebElement> nodes = waitForAtLeast(By.cssSelector("[data-test=family-node]"), FAMILIES.size());
        assertThat(nodes.stream().map(n -> n.getDomAttribute("data-id")).collect(Collectors.toSet()))
                .isEqualTo(FAMILIES);
        assertThat(driver.findElements(By.cssSelector("[data-test=edge]"))).hasSizeGreaterThanOrEqualTo(4);
        WebElement normalize = driver.findElement(By.cssSelector("[data-test=family-node][data-id=ContinuumNormalize]"));
        assertThat(normalize.getText()).contains("1 failed");
        screenshot(label, "graph");
        normalize.click();
        List<WebElement> taskRows = waitForAtLeast(By.cssSelector("[data-test=task-row]"), 4);
        assertThat(taskRows).hasSize(4);
        assertThat(taskRows.stream().filter(r -> stateIn(r).equals("FAILED")).map(WebElement::getText))
                .singleElement().asString().contains(failedTask);
        assertNoStrayNull();

        // ---- the failures page: one group, the error, its task and what it blocks
        driver.findElement(By.cssSelector("#crumbs")).findElement(By.linkText("run " + runId)).click();
        waitForAtLeast(By.cssSelector("[data-test=family-row]"), 1);
        driver.findElement(By.partialLinkText("Failures (1)")).click();
        List<WebElement> groups = waitForAtLeast(By.cssSelector("[data-test=error-group]"), 1);
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).getText()).contains("IOException").contains(BAD_LINE).contains(failedTask)
                .contains("3 task(s)");
        screenshot(label, "failures");

        // ---- the failed task's page: its error and its log
        groups.get(0).findElement(By.linkText(failedTask)).click();
        waitUntil("the task's log shows the IOException",
                d -> text(By.cssSelector("[data-test=log]")).contains("java.io.IOException: out/dr17/v1.0/field-0043/"
                        + "star-0003.spectrum.csv line 2: " + BAD_LINE));
        assertThat(text(By.cssSelector("[data-test=task-error]"))).contains("IOException").contains(BAD_LINE);
        assertThat(driver.findElements(By.cssSelector("[data-test=attempt-row]"))).hasSize(1);
        assertThat(pageState()).isEqualTo("FAILED");
        waitForAtLeast(By.cssSelector("[data-test=task-node]"), 2);
        assertNoStrayNull();
        screenshot(label, "task");

        // ---- a reset with a wrong token: refused, nothing changed
        driver.findElement(By.cssSelector("[data-test=action-reset]")).click();
        WebElement token = waitForDialog();
        assertThat(token.getDomProperty("value")).as("the token from the printed address").isEqualTo(ui.token());
        token.clear();
        token.sendKeys("not-the-token");
        driver.findElement(By.cssSelector("[data-test=confirm]")).click();
        waitUntil("the banner says the reset was not done",
                d -> text(By.cssSelector("[data-test=message]")).startsWith("Not done: "));
        assertThat(text(By.cssSelector("[data-test=message]"))).contains("token");
        assertThat(apiTask(ui, failedTask).path("state").asText()).isEqualTo("FAILED");
        assertThat(pageState()).isEqualTo("FAILED");

        // ---- the reset with the token (prefilled again): the task is pending
        driver.findElement(By.cssSelector("[data-test=action-reset]")).click();
        token = waitForDialog();
        assertThat(token.getDomProperty("value")).isEqualTo(ui.token());
        driver.findElement(By.cssSelector("[data-test=confirm]")).click();
        waitUntil("the banner says the task was reset",
                d -> text(By.cssSelector("[data-test=message]")).startsWith("Reset 1 task(s)"));
        waitUntil("the page shows the task pending", d -> "PENDING".equals(pageState()));
        assertThat(apiTask(ui, failedTask).path("state").asText()).isEqualTo("PENDING");

        // ---- a running task's log grows on the page, without a reload
        Process tailed = startAstra("tailed", "--cp", LauncherIT.FIXTURES, "run", "TailedLog", "--dir",
                workDir.toString(), "--config", config);
        new FluentWait<>(workDir.resolve("started")).withTimeout(Duration.ofSeconds(90))
                .pollingEvery(Duration.ofMillis(50)).withMessage("the task TailedLog never started")
                .until(f -> {
                    assertThat(tailed.isAlive()).as("astra run TailedLog ended early: " + read("tailed.err")).isTrue();
                    return Files.exists(f);
                });
        String tailedTask = astra.core.Tasks.id(new UiTasks.TailedLog(workDir));
        driver.get(ui.base() + "/#/tasks/" + tailedTask);
        waitUntil("the log shows the first line", d -> text(By.cssSelector("[data-test=log]"))
                .contains("first line, before go"));
        assertThat(text(By.cssSelector("[data-test=log-note]"))).contains("tailing while it runs");
        assertThat(text(By.cssSelector("[data-test=log]"))).doesNotContain("second line");
        js("window.astraStillTheSamePage = true;");
        Files.writeString(workDir.resolve("go"), "");
        waitUntil("the log shows the second line", d -> text(By.cssSelector("[data-test=log]"))
                .contains("second line, after go"));
        assertThat(js("return window.astraStillTheSamePage === true;")).as("the page was not reloaded").isEqualTo(true);
        assertThat(tailed.waitFor(60, TimeUnit.SECONDS)).as("astra run TailedLog did not end").isTrue();
        assertThat(tailed.exitValue()).as(read("tailed.err")).isZero();
        waitUntil("the log note says the attempt ended", d -> !text(By.cssSelector("[data-test=log-note]"))
                .contains("tailing"));

        // ---- a server without --allow-actions: no buttons, and a POST is refused
        Ui readOnly = startUi("--config", config);
        assertThat(readOnly.token()).as("a read-only loopback server prints no token: " + readOnly.line()).isNull();
        driver.get(readOnly.base() + "/#/tasks/" + failedTask);
        waitForAtLeast(By.cssSelector("[data-test=params]"), 1);
        assertThat(text(By.id("live"))).isEqualTo("read-only");
        assertThat(driver.findElements(By.cssSelector("[data-test^=action-]"))).isEmpty();
        assertNoStrayNull();
        driver.get(readOnly.base() + "/#/runs/" + runId);
        waitForAtLeast(By.cssSelector("[data-test=family-row]"), FAMILIES.size());
        assertThat(driver.findElements(By.cssSelector("[data-test^=action-]"))).isEmpty();
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(
                        URI.create(readOnly.base() + "/api/tasks/" + failedTask + "/reset"))
                .header("X-Astra-Token", ui.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"downstream\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("read-only");
        assertThat(apiTask(readOnly, failedTask).path("state").asText()).isEqualTo("PENDING");
    }

    // ---- processes

    /** A printed address of astra ui: the page, its origin and the token, if it printed one. */
    record Ui(String line, String url, String base, String token) {}

    private LauncherIT.Result astra(String... args) throws Exception {
        return LauncherIT.astra(workDir, args);
    }

    private Process startAstra(String name, String... args) throws IOException {
        Process p = LauncherIT.start(workDir, workDir.resolve(name + ".out"), workDir.resolve(name + ".err"), args);
        started.add(p);
        return p;
    }

    private Ui startUi(String... args) throws IOException {
        String name = "ui-" + started.size();
        List<String> all = new ArrayList<>(List.of("ui", "--port", "0"));
        all.addAll(List.of(args));
        Process ui = startAstra(name, all.toArray(String[]::new));
        String line = new FluentWait<>(workDir.resolve(name + ".out")).withTimeout(Duration.ofSeconds(60))
                .pollingEvery(Duration.ofMillis(50)).withMessage("astra ui printed no address")
                .until(out -> {
                    assertThat(ui.isAlive()).as("astra ui ended: " + read(name + ".err")).isTrue();
                    String text = read(name + ".out");
                    return text.contains("\n") ? text.lines().findFirst().orElseThrow() : null;
                });
        Matcher m = Pattern.compile("open (http://[^/ ]+)(/\\S*)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        Matcher token = Pattern.compile("[?&]token=([^&# ]+)").matcher(m.group(2));
        return new Ui(line, m.group(1) + m.group(2), m.group(1), token.find() ? token.group(1) : null);
    }

    private String read(String file) {
        try {
            Path f = workDir.resolve(file);
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
            }
        }
    }

    // ---- the page

    private static <T> T waitUntil(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            List<WebElement> errors = d.findElements(By.cssSelector("[data-test=page-error]"));
            if (!errors.isEmpty()) {
                throw new AssertionError("the page says: " + errors.get(0).getText() + " (waiting until " + what + ")");
            }
            T value = condition.apply(d);
            return Boolean.FALSE.equals(value) ? null : value;
        });
    }

    private static List<WebElement> waitForAtLeast(By by, int n) {
        return waitUntil(n + " of " + by, d -> {
            List<WebElement> found = d.findElements(by);
            return found.size() >= n ? found : null;
        });
    }

    /** The confirmation dialog, open; returns its token input. */
    private static WebElement waitForDialog() {
        waitUntil("the confirmation dialog opens",
                d -> d.findElement(By.cssSelector("[data-test=confirm-dialog]")).isDisplayed());
        return driver.findElement(By.cssSelector("[data-test=token]"));
    }

    private static String text(By by) {
        List<WebElement> found = driver.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    /** The state beside a task page's title. */
    private static String pageState() {
        return text(By.cssSelector("h1 [data-test=state]"));
    }

    private static String stateIn(WebElement row) {
        return row.findElement(By.cssSelector("[data-test=state]")).getText();
    }

    private static WebElement rowOf(List<WebElement> rows, String command) {
        return rows.stream().filter(r -> r.getText().contains(command)).findFirst()
                .orElseThrow(() -> new AssertionError("no run of '" + command + "' on the runs page"));
    }

    /** The count cells of a row, by state. */
    private static Map<String, String> counts(WebElement row) {
        Map<String, String> counts = new java.util.TreeMap<>();
        for (String state : List.of("done", "running", "pending", "failed", "missing")) {
            counts.put(state, row.findElement(By.cssSelector("[data-test=count-" + state + "]")).getText());
        }
        return counts;
    }

    /** A part a page leaves out must not show up as the text "null". */
    private static void assertNoStrayNull() {
        assertThat(driver.findElement(By.id("view")).getText().lines()).as("a line reading null on "
                + driver.getCurrentUrl()).noneMatch(l -> l.strip().equals("null"));
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void screenshot(String label, String page) throws IOException {
        Files.write(SCREENSHOTS.resolve(label + "-" + page + ".png"),
                ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    // ---- the API, as a script would read it

    private static JsonNode apiTask(Ui ui, String taskId) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ui.base() + "/api/tasks/" + taskId))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("task");
    }

    // ---- the browser

    private static String envOr(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : v;
    }

    /** Skips (or fails, when required) unless Chromium and its driver are installed. */
    static void requireBrowser() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (Debian: chromium)");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            missing.add(CHROMEDRIVER + " (Debian: chromium-driver)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String reason = "browser tests of astra ui skipped: no " + String.join(", no ", missing)
                + "; install them (apt-get install chromium chromium-driver) or name them with "
                + "ASTRA_TEST_CHROMIUM and ASTRA_TEST_CHROMEDRIVER";
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            Assertions.fail(reason.replace("tests of astra ui skipped", "tests of astra ui required (" + REQUIRE_ENV
                    + "=1)"));
        }
        if (!announced) {
            // Surefire keeps the reasons of skipped tests in its reports; say it once where people look.
            announced = true;
            System.err.println("[astra] " + reason);
        }
        Assumptions.abort(reason);
    }
}
