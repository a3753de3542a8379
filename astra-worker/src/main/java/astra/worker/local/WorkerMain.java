package astra.worker.local;

import astra.core.ProcessInitializer;
import astra.core.ProcessResources;
import astra.core.ReconnectDatabase;
import astra.core.db.Database;
import astra.core.internal.Exceptions;
import astra.core.internal.StateFiles;
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
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child worker process: reads its {@link WorkerSpec} from standard input, runs its
 * initializers once (the database connection first), registers its slots (one worker row each),
 * then runs one claim-run-record loop per slot, each on a thread of its own, until none has work
 * left. Standard input stays open while the parent lives: a line {@code stop}, or its end (the
 * parent died), stops the child, giving back the tasks its slots hold.
 */
public final class WorkerMain {

    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            System.err.println("astra-worker: no worker spec on standard input; this process is started by astra run");
            System.exit(2);
        }
        WorkerSpec spec = new ObjectMapper().readValue(line, WorkerSpec.class);
        StateFiles.shareWith(spec.sharedGroup());
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
        // The parent announces an outage to the user, once for the run; its children wait it out quietly.
        database.outage().quietly();
        Instant ready = Instant.now();
        long readyMillis = Math.max(1, Duration.between(started, ready).toMillis());
        List<String> slotIds = spec.slotIds();
        for (String slotId : slotIds) {
            database.store().registerWorker(new WorkerRecord(slotId, spec.runId(), spec.host(), LocalProcess.pid(),
                    started, initMillis, readyMillis, database.connectCount(), ready, 0, null, null));
        }
        log.debug("{} ready {} ms after its start with {} slot(s), initializers {} ms", spec.workerId(), readyMillis,
                slotIds.size(), initMillis);

        ClassLoader loader = WorkerMain.class.getClassLoader();
        List<AttemptLogs> logs = spec.logDir() == null ? Collections.nCopies(slotIds.size(), AttemptLogs.NONE)
                : AttemptLogs.capture(Path.of(spec.logDir()), slotIds.size());
        ChildSupervision supervision = new ChildSupervision(spec, database);
        for (int i = 0; i < slotIds.size(); i++) {
            ChildSupervision.Slot slot = supervision.slot(slotIds.get(i), logs.get(i));
            slot.runs(new ClaimRunRecord(resources.forSlot(slotIds.get(i)), spec.runId(), new TaskLoader(loader),
                    GraphPlanner.serial(database.store(), spec.retry()), spec.loopOptions(), slot)
                    .capturing(logs.get(i)).scoped(spec.scope()));
        }
        supervision.watch(in);
        supervision.runSlots();
        supervision.ended();
    }
}
