package astra.worker.slurm;

import astra.core.AstraException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slurm's own commands, run as processes: {@code sbatch} submits, {@code squeue} lists the jobs
 * alive, {@code scontrol show job} keeps the end of a job for a few minutes
 * ({@code MinJobAge}), {@code sacct} (when accounting is on) for longer but seconds late,
 * {@code scancel} cancels. Jobs are named as {@code squeue -r} shows them: {@code 12_0} for the
 * first job of array 12, {@code 13} for a job of its own.
 */
public final class SlurmCommands {

    /** The states of a job that has ended, as squeue, scontrol and sacct spell them. */
    static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
            "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REVOKED", "SPECIAL_EXIT");

    private static final long TIMEOUT_SECONDS = 60;

    /** What one look at a job found: its state and its node (empty while pending). */
    record JobStatus(String job, String state, String node) {
        boolean ended() {
            return ENDED.contains(state);
        }
    }

    /** The output of a command that ran; {@code code} is its exit code. */
    record Output(int code, String out, String err) {}

    /** Submits a batch script; returns the job id (of the array, for an array). */
    String sbatch(List<String> options, Path script) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(options);
        command.add(script.toString());
        Output output = run(command);
        String id = output.out().strip().split(";")[0];
        if (output.code() != 0 || !id.matches("\\d+")) {
            throw new AstraException.WorkerStartFailed("sbatch refused the workers' job: "
                    + firstLine(output.err().isBlank() ? output.out() : output.err()) + " (" + String.join(" ", command) + ")");
        }
        return id;
    }

    /** The jobs of these ids (arrays expanded) that Slurm still lists as queued or running. */
    Map<String, JobStatus> squeue(Collection<String> ids) {
        Output output = run(List.of("squeue", "-h", "-r", "-j", String.join(",", ids), "-o", "%i|%T|%N"));
        if (output.code() != 0) {
            // Every id ended long ago ("Invalid job id specified"): none is listed.
            if (output.err().contains("Invalid job id")) {
                return Map.of();
            }
            throw new SlurmUnavailable("squeue failed: " + firstLine(output.err()));
        }
        return parseSqueue(output.out());
    }

    /** The jobs of one id (every job of an array), as scontrol knows them; empty once it has forgotten. */
    Map<String, JobStatus> scontrol(String id) {
        Output output = run(List.of("scontrol", "show", "job", "-o", id));
        if (output.code() != 0) {
            return Map.of();
        }
        return parseScontrol(output.out());
    }

    /** The jobs of these ids as accounting has them; empty when accounting is off or has not caught up. */
    Map<String, JobStatus> sacct(Collection<String> ids) {
        Output output = run(List.of("sacct", "-n", "-X", "-P", "-j", String.join(",", ids), "-o", "JobID,State,NodeList"));
        return output.code() != 0 ? Map.of() : parseSacct(output.out());
    }

    /** Cancels jobs (Slurm sends their processes SIGTERM, then SIGKILL after its KillWait). */
    void scancel(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("scancel"));
        command.addAll(ids);
        Output output = run(command);
        if (output.code() != 0) {
            throw new SlurmUnavailable("scancel failed: " + firstLine(output.err()));
        }
    }

    /**
     * When the Slurm job this process runs in reaches its time limit: {@code $SLURM_JOB_END_TIME}
     * (Slurm 23.02 and later), else what squeue says is left of it; empty outside a job, for a job
     * without a limit, or when squeue cannot tell.
     */
    public static Optional<Instant> jobEnd(Map<String, String> environment) {
        String end = environment.get("SLURM_JOB_END_TIME");
        if (end != null && end.strip().matches("\\d+")) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(end.strip())));
        }
        String job = environment.get("SLURM_JOB_ID");
        if (job == null || job.isBlank()) {
            return Optional.empty();
        }
        Instant asked = Instant.now();
        try {
            Output output = run(List.of("squeue", "--noheader", "--jobs", job.strip(), "--format", "%L"));
            return output.code() == 0 ? parseTimeLeft(output.out()).map(asked::plus) : Optional.empty();
        } catch (SlurmUnavailable e) {
            return Optional.empty();
        }
    }

    /**
     * squeue's time left ({@code %L}): {@code [days-]hours:minutes:seconds}, {@code minutes:seconds},
     * or a word ({@code UNLIMITED}, {@code NOT_SET}, {@code INVALID}) for none.
     */
    static Optional<Duration> parseTimeLeft(String text) {
        Matcher m = TIME_LEFT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long hours = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        return Optional.of(Duration.ofDays(days).plusHours(hours).plusMinutes(Long.parseLong(m.group(3)))
                .plusSeconds(Long.parseLong(m.group(4))));
    }

    private static final Pattern TIME_LEFT = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d+)");

    static Map<String, JobStatus> parseSqueue(String out) {
        Map<String, JobStatus> jobs = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] fields = line.strip().split("\\|", -1);
            if (fields.length >= 3 && !fields[0].isEmpty()) {
                jobs.put(fields[0], new JobStatus(fields[0], fields[1], fields[2]));
            }
        }
        return jobs;
    }

    /** One line per job: {@code JobId=13 ArrayJobId=12 ArrayTaskId=1 ... JobState=CANCELLED ... NodeList=n2 ...}. */
    static Map<String, JobStatus> parseScontrol(String out) {
        Map<String, JobStatus> jobs = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : line.strip().split(" ")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    fields.putIfAbsent(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
            String id = fields.get("JobId");
            String state = fields.get("JobState");
            if (id == null || state == null) {
                continue;
            }
            String array = fields.get("ArrayJobId");
            String task = fields.get("ArrayTaskId");
            String node = fields.getOrDefault("NodeList", "");
            // A pending array not split yet is one line for all its jobs: ArrayTaskId=0-2.
            for (String name : array != null && task != null ? arrayJobs(array, task) : List.of(id)) {
                jobs.put(name, new JobStatus(name, state, node.equals("(null)") ? "" : node));
            }
        }
        return jobs;
    }

    /** {@code 12_1|CANCELLED by 0|n2}: the state's first word. */
    static Map<String, JobStatus> parseSacct(String out) {
        Map<String, JobStatus> jobs = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] fields = line.strip().split("\\|", -1);
            if (fields.length >= 3 && !fields[0].isEmpty()) {
                String state = fields[1].split(" ")[0];
                String node = fields[2].equals("None assigned") ? "" : fields[2];
                // An array that never started is one line for all its jobs: 17_[0-1].
                Matcher unsplit = UNSPLIT.matcher(fields[0]);
                for (String name : unsplit.matches() ? arrayJobs(unsplit.group(1), unsplit.group(2)) : List.of(fields[0])) {
                    jobs.put(name, new JobStatus(name, state, node));
                }
            }
        }
        return jobs;
    }

    private static final Pattern UNSPLIT = Pattern.compile("(\\d+)_\\[([^\\]]+)\\]");

    /**
     * The jobs of an array by name, from Slurm's spelling of its task ids: {@code 3},
     * {@code 0-2}, {@code 0,4-5}, with a throttle such as {@code 0-9%2} ignored.
     */
    static List<String> arrayJobs(String arrayId, String taskIds) {
        List<String> names = new ArrayList<>();
        String ids = taskIds.contains("%") ? taskIds.substring(0, taskIds.indexOf('%')) : taskIds;
        for (String part : ids.split(",")) {
            String[] range = part.strip().split("-");
            try {
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                for (int i = from; i <= to && names.size() < 100_000; i++) {
                    names.add(arrayId + "_" + i);
                }
            } catch (NumberFormatException e) {
                // Not a spelling known here: the job is looked up again next time.
            }
        }
        return names;
    }

    private static Output run(List<String> command) {
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("astra-slurm", ".out");
            err = Files.createTempFile("astra-slurm", ".err");
            try {
                process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                throw new SlurmUnavailable(command.get(0) + " could not be run (" + e.getMessage()
                        + "): the Slurm executor needs Slurm's commands on the PATH");
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new SlurmUnavailable(String.join(" ", command) + " did not answer in " + TIMEOUT_SECONDS + " s");
            }
            return new Output(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmUnavailable(command.get(0) + " was interrupted");
        } catch (IOException e) {
            throw new SlurmUnavailable(command.get(0) + ": " + e.getMessage());
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A temporary file left behind is harmless.
            }
        }
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }

    /** A Slurm command could not be run or failed: the controller may be away for a moment. */
    static final class SlurmUnavailable extends AstraException.WorkerStartFailed {
        SlurmUnavailable(String message) {
            super(message);
        }
    }
}
