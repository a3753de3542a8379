package astra.worker.local;

import astra.core.ProcessInitializer;
import astra.core.ProcessResources;
import astra.core.ReconnectDatabase;
import astra.core.db.Database;
import astra.core.internal.Exceptions;
import astra.core.internal.LocalProcess;
import astra.core.store.WorkerRecord;
import astra.plan.GraphPlanner;
import astra.worker.AttemptLogs;
import astra.worker.ClaimRunRecord;
import astra.worker.Initializers;
import astra.worker.TaskLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child worker process: reads its {@link WorkerSpec} from standard input, runs its
 * initializers once (the database connection first), registers itself, then claims and runs
 * tasks until none is left. Standard input stays open while the parent lives: a line
 * {@code stop}, or its end (the parent died), stops the child, giving back the task it holds.
 */
public final class WorkerMain {

    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            System.err.println("astra-worker: no worker spec on standard input; this process is started by astra run");
            System.exit(2);
        }
        WorkerSpec spec = new ObjectMapper().readValue(line, WorkerSpec.class);
        // Ready time counts the JVM's own start-up. (ProcessHandle's start instant can be a second off.)
        Instant started = Instant.ofEpochMilli(spec.spawnedAtMillis() > 0 ? spec.spawnedAtMillis()
                : ManagementFactory.getRuntimeMXBean().getStartTime());
        ProcessResources resources = new ProcessResources(spec.workerId());
        long initStart = System.nanoTime();
        List<String> names = new ArrayList<>();
        names.add(ReconnectDatabase.class.getName());
        names.addAll(spec.initializers());
        for (String name : names) {
            try {
                ProcessInitializer initializer = name.equals(ReconnectDatabase.class.getName())
                        ? new ReconnectDatabase(spec.databaseSettings())
                        : Initializers.instantiate(name, WorkerMain.class.getClassLoader());
                initializer.initialize(resources);
            } catch (Exception | LinkageError e) {
                System.err.println(ExitStatus.INIT_FAILED_PREFIX + name + ": " + Exceptions.oneLine(e));
                System.err.flush();
                Runtime.getRuntime().halt(ExitStatus.INIT_FAILED.code);
            }
        }
        long initMillis = (System.nanoTime() - initStart) / 1_000_000;
        Database database = resources.database();
        Instant ready = Instant.now();
        long readyMillis = Math.max(1, Duration.between(started, ready).toMillis());
        database.store().registerWorker(new WorkerRecord(spec.workerId(), spec.runId(), spec.host(),
                LocalProcess.pid(), started, initMillis, readyMillis, database.connectCount(), ready, 0, null, null));
        log.debug("{} ready {} ms after its start, initializers {} ms", spec.workerId(), readyMillis, initMillis);

        ClassLoader loader = WorkerMain.class.getClassLoader();
        AttemptLogs logs = spec.logDir() == null ? AttemptLogs.NONE : AttemptLogs.capture(Path.of(spec.logDir()));
        ChildSupervision supervision = new ChildSupervision(spec, database, logs);
        ClaimRunRecord loop = new ClaimRunRecord(resources, spec.runId(), new TaskLoader(loader),
                GraphPlanner.serial(database.store(), spec.retry()), spec.loopOptions(), supervision)
                .capturing(logs).scoped(spec.scope());
        supervision.watch(loop, in);
        loop.run();
        supervision.ended(loop);
    }
}
