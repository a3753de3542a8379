package astra.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.db.Database;
import astra.core.store.Plan;
import astra.core.store.RunInfo;
import astra.core.store.TaskPolicy;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.core.store.WorkerRecord;
import astra.core.testing.DatabaseExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JSON API of {@code astra ui} and who may use it, over real HTTP, on a store holding two
 * runs: the first finished with a failure (a chain of families Fit, Sum, Report; one Fit task
 * failed, blocking its Sum and the Report), the second live. One subclass per database.
 */
abstract class UiApiContract {

    @RegisterExtension
    final DatabaseExtension db = database();

    abstract DatabaseExtension database();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<UiServer> servers = new ArrayList<>();
    private TaskStore store;
    private long finished;
    private long live;
    private Path logs;

    /** Fit_1..Fit_4 feed Sum_a (1, 2) and Sum_b (3, 4), which feed Report; Fit_3 fails. */
    @BeforeEach
    void twoRuns() throws IOException {
        Database database = db.open();
        store = database.store();
        logs = db.directory().resolve("logs");
        finished = store.startRun(new RunInfo("Report_x", "host-a", 11, "astra run Report"));
        List<Plan.PlannedTask> tasks = new ArrayList<>();
        List<Plan.Edge> edges = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            tasks.add(task("Fit_" + i, "Fit", "{\"field\":42,\"starId\":" + i + ",\"release\":\"dr17\"}", 0));
        }
        tasks.add(task("Sum_a", "Sum", "{\"part\":\"a\"}", 2));
        tasks.add(task("Sum_b", "Sum", "{\"part\":\"b\"}", 2));
        tasks.add(task("Report_x", "Report", "{}", 2));
        edges.addAll(List.of(new Plan.Edge("Sum_a", "Fit_1"), new Plan.Edge("Sum_a", "Fit_2"),
                new Plan.Edge("Sum_b", "Fit_3"), new Plan.Edge("Sum_b", "Fit_4"),
                new Plan.Edge("Report_x", "Sum_a"), new Plan.Edge("Report_x", "Sum_b")));
        store.writePlan(finished, new Plan(tasks, edges));
        store.registerWorker(new WorkerRecord("w1", finished, "host-a", 12, Instant.now(), 100, 1,
                Instant.now(), 0, null, null));
        for (int i = 0; i < 5; i++) {
            String id = store.claim(finished, "w1").orElseThrow().taskId();
            if (id.equals("Fit_3")) {
                Path log = logs.resolve("Fit_3").resolve("run-" + finished + "-attempt-1.log");
                Files.createDirectories(log.getParent());
                Files.writeString(log, "reading star 3\nfailed: bad flux ✓\n");
                store.note(finished, List.of(id), "w1", "log: " + log);
                store.markFailed(id, "w1", "IOException: bad flux in star 3", "java.io.IOException: bad flux");
            } else {
                store.markDone(id, "w1");
            }
        }
        store.workerStopped("w1", "no work left");
        store.finishRun(finished, "FAILED");
        live = store.startRun(new RunInfo("Other", "host-b", 21, "astra run Other"));
        store.writePlan(live, new Plan(List.of(task("Other_1", "Other", "{\"n\":1}", 0),
                task("Other_2", "Other", "{\"n\":2}", 0)), List.of()));
        store.registerWorker(new WorkerRecord("w2", live, "host-b", 22, Instant.now(), 100, 1, Instant.now(), 0,
                null, null));
        store.claim(live, "w2").orElseThrow();
    }

    private static Plan.PlannedTask task(String id, String family, String params, int unfinished) {
        return new Plan.PlannedTask(id, family, "test." + family, params, TaskState.PENDING, unfinished,
                TaskPolicy.DEFAULT);
    }

    @AfterEach
    void stop() {
        servers.forEach(UiServer::close);
    }

    private UiServer serve(String bind, boolean actions) throws IOException {
        UiServer s = UiServer.start(new UiServer.Options(bind, 0, actions, "t0ken",
                (task, run, attempt) -> logs.resolve(task).resolve("run-" + run + "-attempt-" + attempt + ".log")),
                store, "alice");
        servers.add(s);
        return s;
    }

    private HttpResponse<String> get(UiServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(UiServer s, String path) throws Exception {
        HttpResponse<String> r = get(s, path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> post(UiServer s, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of GET /api/runs with this Host header (which java.net.http will not send as given). */
    private static int statusFor(UiServer s, String host) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.port())) {
            socket.getOutputStream().write(("GET /api/runs HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private static String error(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).path("error").asText();
    }

    @Test
    void runsComeNewestFirstWithTheirCountsAndArePagedByRunId() throws Exception {
        UiServer s = serve("127.0.0.1", false);

        JsonNode page = json(s, "/api/runs?limit=1");
        assertThat(page.at("/runs/0/run_id").asLong()).isEqualTo(live);
        assertThat(page.at("/runs/0/live").asBoolean()).isTrue();
        assertThat(page.at("/runs/0/state").asText()).isEqualTo("RUNNING");
        assertThat(page.at("/runs/0/counts/running").asLong()).isEqualTo(1);
        assertThat(page.at("/next_before").asLong()).isEqualTo(live);

        JsonNode next = json(s, "/api/runs?limit=1&before=" + live);
        assertThat(next.at("/runs/0/run_id").asLong()).isEqualTo(finished);
        assertThat(next.at("/runs/0/state").asText()).isEqualTo("FAILED");
        assertThat(next.at("/runs/0/command").asText()).isEqualTo("astra run Report");
        assertThat(next.at("/runs/0/counts/done").asLong()).isEqualTo(4);
        assertThat(next.at("/runs/0/counts/failed").asLong()).isEqualTo(1);
        assertThat(next.at("/runs/0/counts/pending").asLong()).isEqualTo(2);
        assertThat(next.at("/runs/0/counts/total").asLong()).isEqualTo(7);
    }

    @Test
    void aRunHasItsProgressByFamilyItsWorkersByHostAndOnceFinishedItsSummary() throws Exception {
        UiServer s = serve("127.0.0.1", false);

        JsonNode run = json(s, "/api/runs/" + finished);
        assertThat(run.at("/families").findValuesAsText("family")).containsExactly("Fit", "Report", "Sum");
        assertThat(run.at("/families/0/counts/done").asLong()).isEqualTo(3);
        assertThat(run.at("/families/0/counts/failed").asLong()).isEqualTo(1);
        assertThat(run.at("/rate/done").asLong()).isEqualTo(4);
        assertThat(run.at("/hosts/0/host").asText()).isEqualTo("host-a");
        assertThat(run.at("/hosts/0/workers/0/worker_id").asText()).isEqualTo("w1");
        assertThat(run.at("/hosts/0/workers/0/stop_reason").asText()).isEqualTo("no work left");
        assertThat(run.at("/summary/outcome").asText()).isEqualTo("FAILED");
        assertThat(run.at("/summary/failed/0/task_id").asText()).isEqualTo("Fit_3");
        assertThat(run.at("/summary/failed/0/error").asText()).isEqualTo("IOException: bad flux in star 3");

        JsonNode running = json(s, "/api/runs/" + live);
        assertThat(running.has("summary")).isFalse();
        assertThat(running.at("/hosts/0/workers/0/worker_id").asText()).isEqualTo("w2");
    }

    @Test
    void theGraphHasTheRunsFamiliesAndWhichRequiresWhich() throws Exception {
        UiServer s = serve("127.0.0.1", false);

        JsonNode graph = json(s, "/api/runs/" + finished + "/graph");
        assertThat(graph.at("/families").findValuesAsText("family")).containsExactly("Fit", "Report", "Sum");
        List<String> edges = new ArrayList<>();
        graph.at("/edges").forEach(e -> edges.add(e.path("from").asText() + "->" + e.path("to").asText()));
        assertThat(edges).containsExactlyInAnyOrder("Report->Sum", "Sum->Fit");
    }

    @Test
    void tasksArePagedByIdAndFilteredByFamilyStateAndParameter() throws Exception {
        UiServer s = serve("127.0.0.1", false);
        String tasks = "/api/runs/" + finished + "/tasks";

        JsonNode first = json(s, tasks + "?family=Fit&limit=3");
        assertThat(first.at("/tasks").findValuesAsText("task_id")).containsExactly("Fit_1", "Fit_2", "Fit_3");
        assertThat(first.at("/next_after").asText()).isEqualTo("Fit_3");
        JsonNode second = json(s, tasks + "?family=Fit&limit=3&after=Fit_3");
        assertThat(second.at("/tasks").findValuesAsText("task_id")).containsExactly("Fit_4");
        assertThat(second.at("/next_after").isNull()).isTrue();

        assertThat(json(s, tasks + "?state=failed").at("/tasks").findValuesAsText("task_id")).containsExactly("Fit_3");
        assertThat(json(s, tasks + "?param=star-id%3D2").at("/tasks").findValuesAsText("task_id"))
                .containsExactly("Fit_2");
        assertThat(json(s, tasks + "?param=release%3Ddr17&state=done").at("/tasks").findValuesAsText("task_id"))
                .containsExactly("Fit_1", "Fit_2", "Fit_4");
        // LIKE's wildcards in a value are plain characters
        assertThat(json(s, tasks + "?param=release%3Ddr1_").at("/tasks").size()).isZero();
        assertThat(json(s, tasks + "?param=part%3D%25").at("/tasks").size()).isZero();
    }

    @Test
    void failuresAreGroupedByErrorWithWhatTheyBlock() throws Exception {
        UiServer s = serve("127.0.0.1", false);

        JsonNode failures = json(s, "/api/runs/" + finished + "/failures");
        assertThat(failures.at("/groups").size()).isEqualTo(1);
        assertThat(failures.at("/groups/0/error").asText()).isEqualTo("IOException: bad flux in star 3");
        assertThat(failures.at("/groups/0/count").asLong()).isEqualTo(1);
        assertThat(failures.at("/groups/0/task_ids/0").asText()).isEqualTo("Fit_3");
        assertThat(failures.at("/groups/0/blocks").asLong()).isEqualTo(2);
        assertThat(failures.at("/groups/0/blocks_first").toString()).contains("Sum_b", "Report_x");
        assertThat(json(s, "/api/runs/" + live + "/failures").at("/groups").size()).isZero();
    }

    @Test
    void aTaskHasItsParametersAttemptsEventsNeighboursAndLog() throws Exception {
        UiServer s = serve("127.0.0.1", false);

        JsonNode task = json(s, "/api/tasks/Fit_3");
        assertThat(task.at("/task/state").asText()).isEqualTo("FAILED");
        assertThat(task.at("/task/params/starId").asInt()).isEqualTo(3);
        assertThat(task.at("/attempts/0/worker").asText()).isEqualTo("w1");
        assertThat(task.at("/attempts/0/host").asText()).isEqualTo("host-a");
        assertThat(task.at("/attempts/0/outcome").asText()).isEqualTo("failed");
        assertThat(task.at("/attempts/0/error").asText()).isEqualTo("IOException: bad flux in star 3");
        assertThat(task.at("/events").findValuesAsText("message")).anyMatch(m -> m.startsWith("claimed (attempt 1"));
        assertThat(task.at("/dependents/count").asLong()).isEqualTo(1);
        assertThat(task.at("/dependents/first/0/task_id").asText()).isEqualTo("Sum_b");

        JsonNode hood = json(s, "/api/tasks/Sum_b/neighbours?depth=1");
        assertThat(hood.at("/nodes").findValuesAsText("task_id")).containsExactlyInAnyOrder("Sum_b", "Fit_3", "Fit_4",
                "Report_x");
        assertThat(hood.at("/edges").toString()).contains("{\"from\":\"Sum_b\",\"to\":\"Fit_3\"}",
                "{\"from\":\"Report_x\",\"to\":\"Sum_b\"}");

        JsonNode log = json(s, "/api/tasks/Fit_3/log");
        assertThat(log.at("/found").asBoolean()).isTrue();
        assertThat(log.at("/text").asText()).isEqualTo("reading star 3\nfailed: bad flux ✓\n");
        long size = log.at("/size").asLong();
        assertThat(log.at("/next_offset").asLong()).isEqualTo(size);
        JsonNode tail = json(s, "/api/tasks/Fit_3/log?offset=15");
        assertThat(tail.at("/text").asText()).isEqualTo("failed: bad flux ✓\n");
        assertThat(json(s, "/api/tasks/Fit_3/log?offset=" + size).at("/text").asText()).isEmpty();

        JsonNode notRun = json(s, "/api/tasks/Report_x/log");
        assertThat(notRun.at("/found").asBoolean()).isFalse();
        assertThat(notRun.at("/message").asText()).contains("has not run yet");
    }

    @Test
    void aLogChunkEndsOnAWholeCharacter() {
        byte[] bytes = "ab✓".getBytes(StandardCharsets.UTF_8); // ✓ is 3 bytes
        assertThat(TaskJson.wholeCharacters(bytes, bytes.length)).isEqualTo(5);
        assertThat(TaskJson.wholeCharacters(bytes, 4)).isEqualTo(2);
        assertThat(TaskJson.wholeCharacters(bytes, 3)).isEqualTo(2);
        assertThat(TaskJson.wholeCharacters(bytes, 2)).isEqualTo(2);
    }

    @Test
    void badRequestsGetAStatusAndAOneLineMessage() throws Exception {
        UiServer s = serve("127.0.0.1", false);

        assertThat(get(s, "/api/runs/999").statusCode()).isEqualTo(404);
        assertThat(error(get(s, "/api/runs/999"))).isEqualTo("no run 999");
        HttpResponse<String> state = get(s, "/api/runs/" + finished + "/tasks?state=finished");
        assertThat(state.statusCode()).isEqualTo(400);
        assertThat(error(state)).isEqualTo("state must be one of pending, running, done, failed, missing; not 'finished'");
        assertThat(error(get(s, "/api/runs?limit=0"))).isEqualTo("limit must be 1 to 1000, not 0");
        assertThat(error(get(s, "/api/runs?before=yesterday"))).isEqualTo("before must be a whole number, not 'yesterday'");
        assertThat(error(get(s, "/api/runs/" + finished + "/tasks?param=field"))).startsWith("param must be NAME=VALUE");
        HttpResponse<String> task = get(s, "/api/tasks/Fit_9");
        assertThat(task.statusCode()).isEqualTo(404);
        assertThat(error(task)).contains("no task 'Fit_9'", "did you mean Fit_1");
        assertThat(error(get(s, "/api/tasks/Fit_3/log?attempt=4"))).isEqualTo("Fit_3 has attempts 0 to 0, not 4");
        assertThat(get(s, "/api/nothing").statusCode()).isEqualTo(404);
        assertThat(get(s, "/assets/../pom.xml").statusCode()).isEqualTo(404);
    }

    @Test
    void thePageAndItsAssetsAreServedFromTheJar() throws Exception {
        UiServer s = serve("127.0.0.1", false);

        HttpResponse<String> page = get(s, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/assets/app.js", "/assets/dagre.min.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                v -> assertThat(v).contains("default-src 'self'"));
        assertThat(get(s, "/assets/dagre.min.js").body()).contains("graphlib");
        assertThat(get(s, "/assets/app.js").statusCode()).isEqualTo(200);
        assertThat(json(s, "/api/session").at("/actions_allowed").asBoolean()).isFalse();
    }

    @Test
    void actionsNeedAllowingTheTokenAndThisSite() throws Exception {
        UiServer readOnly = serve("127.0.0.1", false);
        HttpResponse<String> refused = post(readOnly, "/api/tasks/Fit_3/reset", "{}", UiServer.TOKEN_HEADER, "t0ken");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(error(refused)).contains("read-only", "--allow-actions");

        UiServer s = serve("127.0.0.1", true);
        assertThat(json(s, "/api/session").at("/actions_allowed").asBoolean()).isTrue();
        HttpResponse<String> noToken = post(s, "/api/tasks/Fit_3/reset", "{}");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(error(noToken)).contains("token");
        assertThat(post(s, "/api/tasks/Fit_3/reset", "{}", UiServer.TOKEN_HEADER, "guess").statusCode()).isEqualTo(403);
        HttpResponse<String> foreign = post(s, "/api/tasks/Fit_3/reset", "{}", UiServer.TOKEN_HEADER, "t0ken",
                "Origin", "http://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(store.task("Fit_3").orElseThrow().state()).isEqualTo(TaskState.FAILED);

        HttpResponse<String> reset = post(s, "/api/tasks/Fit_3/reset", "{\"downstream\":true}",
                UiServer.TOKEN_HEADER, "t0ken");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(JSON.readTree(reset.body()).at("/reset").asInt()).isEqualTo(3);
        assertThat(store.task("Fit_3").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(store.events("Fit_3")).last().satisfies(e -> assertThat(e.message()).isEqualTo("reset by alice (astra ui)"));

        String runningId = store.task("Other_1").orElseThrow().state() == TaskState.RUNNING ? "Other_1" : "Other_2";
        HttpResponse<String> busy = post(s, "/api/tasks/" + runningId + "/reset", "{}", UiServer.TOKEN_HEADER, "t0ken");
        assertThat(busy.statusCode()).isEqualTo(409);
        assertThat(error(busy)).startsWith("a running task cannot be reset");

        assertThat(post(s, "/api/families/Sum/disable", "", UiServer.TOKEN_HEADER, "t0ken").statusCode()).isEqualTo(200);
        assertThat(store.disabledFamilies()).extracting(f -> f.family()).containsExactly("Sum");
        JsonNode families = json(s, "/api/runs/" + finished).at("/families");
        assertThat(families.findValuesAsText("family")).contains("Sum");
        families.forEach(f -> assertThat(f.path("disabled").asBoolean()).isEqualTo(f.path("family").asText().equals("Sum")));
        assertThat(post(s, "/api/families/Sum/enable", "", UiServer.TOKEN_HEADER, "t0ken").statusCode()).isEqualTo(200);
        assertThat(store.disabledFamilies()).isEmpty();
        assertThat(post(s, "/api/families/Nope/disable", "", UiServer.TOKEN_HEADER, "t0ken").statusCode()).isEqualTo(404);
        HttpResponse<String> big = post(s, "/api/tasks/Fit_3/reset", "{\"downstream\":true," + " ".repeat(10_000) + "}",
                UiServer.TOKEN_HEADER, "t0ken");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(error(big)).startsWith("an action's body is a small JSON object");
    }

    @Test
    void aRefusedActionLeavesTheConnectionUsable() throws Exception {
        UiServer s = serve("127.0.0.1", true);
        // A browser keeps its connection: an action refused before its body had arrived must still
        // read that body, or the connection ends under the next request sent on it.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            String body = "{\"downstream\":false}";
            out.write(("POST /api/tasks/Fit_3/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            java.io.InputStream in = socket.getInputStream();
            // no answer before the body: the server reads it first (an answer now, with the body
            // still to come, would leave it unread, and the connection would be closed under us)
            socket.setSoTimeout(300);
            assertThatThrownBy(in::read).isInstanceOf(java.net.SocketTimeoutException.class);
            socket.setSoTimeout(10_000);
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.write("GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answers = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answers).startsWith("HTTP/1.1 403").contains("needs the token")
                    .contains("HTTP/1.1 200").contains("\"actions_allowed\":true");
        }
    }

    @Test
    void onLoopbackOnlyRequestsForThisHostAreServed() throws Exception {
        UiServer s = serve("127.0.0.1", false);

        assertThat(statusFor(s, "localhost:" + s.port())).isEqualTo(200);
        assertThat(statusFor(s, "127.0.0.1:" + s.port())).isEqualTo(200);
        // a page of another site whose name was rebound to 127.0.0.1 sends its own name
        assertThat(statusFor(s, "attacker.example:" + s.port())).isEqualTo(421);
        assertThat(s.url().toString()).isEqualTo("http://127.0.0.1:" + s.port() + "/");
    }

    @Test
    void offLoopbackEveryRequestNeedsTheToken() throws Exception {
        UiServer s = serve("0.0.0.0", false);

        HttpResponse<String> without = get(s, "/");
        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(error(without)).contains("needs its token");
        assertThat(get(s, "/api/runs?token=guess").statusCode()).isEqualTo(401);
        HttpResponse<String> with = get(s, "/?token=t0ken");
        assertThat(with.statusCode()).isEqualTo(200);
        String cookie = with.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("astra_token=t0ken").contains("HttpOnly", "SameSite=Strict");
        assertThat(get(s, "/api/runs", "Cookie", "astra_token=t0ken").statusCode()).isEqualTo(200);
        assertThat(s.url().getQuery()).isEqualTo("token=t0ken");
    }
}
