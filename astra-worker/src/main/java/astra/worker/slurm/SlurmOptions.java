package astra.worker.slurm;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.config.ConfigKeys.Key;
import astra.core.config.ConfigKeys;
import astra.core.internal.LocalProcess;
import astra.core.store.ClaimScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Where a run's tasks run: on worker processes of this host, in Slurm jobs, or some families
 * here and others there. From {@code [core] executor} ({@code --executor} wins), {@code [slurm]}
 * and the per-family sections {@code [slurm.<Family>]}.
 *
 * <p>The Slurm families are all of them under {@code executor = slurm} (but those whose section
 * says {@code use_slurm = false}), else those whose section says {@code use_slurm = true}. They run
 * in <em>job groups</em>: a family whose section sets any {@code slurm_*} key gets a group of its
 * own, with those settings over {@code [slurm]}'s, whose workers claim that family only (a GPU
 * family's tasks thus only reach workers started with its {@code slurm_gres}); the other Slurm
 * families share the default group, sized by {@code [slurm]}. Each group is one job array of
 * {@code slurm_nodes} jobs, one node each, each running {@code astra worker} with
 * {@code slurm_ppn} workers.
 *
 * @param groups the job groups, the default one first; empty when nothing runs on Slurm
 * @param local the families the workers of this host claim; empty when every task runs on Slurm
 * @param pollInterval how often the jobs are looked up with {@code squeue}
 * @param sbatchOptions more {@code sbatch} options for every job ({@code [slurm] sbatch_options})
 */
public record SlurmOptions(List<JobGroup> groups, Optional<ClaimScope> local, Duration pollInterval,
        List<String> sbatchOptions) {

    /** The section of the Slurm settings every group starts from. */
    public static final String SECTION = SlurmKeys.SECTION;
    /** Sections {@code [slurm.<Family>]} hold one family's Slurm settings. */
    public static final String FAMILY_SECTION_PREFIX = "slurm.";
    /** The keys of {@code [slurm]}, and (with {@code use_slurm}) of {@code [slurm.<Family>]}. */
    public static final List<String> SHAPE_KEYS = Stream.of(SlurmKeys.SLURM_NODES, SlurmKeys.SLURM_PPN,
            SlurmKeys.SLURM_WALLTIME, SlurmKeys.SLURM_PARTITION, SlurmKeys.SLURM_ACCOUNT, SlurmKeys.SLURM_MEM,
            SlurmKeys.SLURM_GRES).map(Key::name).toList();
    public static final String USE_SLURM = "use_slurm";
    /** The name of the group of the Slurm families that have no settings of their own. */
    public static final String DEFAULT_GROUP = "default";

    /** Everything on this host: no Slurm. */
    public static final SlurmOptions LOCAL = new SlurmOptions(List.of(), Optional.of(ClaimScope.ALL),
            Duration.ofSeconds(5), List.of());

    public SlurmOptions {
        groups = List.copyOf(groups);
        sbatchOptions = List.copyOf(sbatchOptions);
    }

    /**
     * The host a worker records: inside a Slurm job the node's name as Slurm knows it
     * ({@code SLURMD_NODENAME}, which is what {@code squeue} shows and may differ from the
     * machine's name, as when several nodes share one machine), else this machine's name.
     */
    public static String workerHost(Map<String, String> environment) {
        String node = environment.get("SLURMD_NODENAME");
        return node == null || node.isBlank() ? LocalProcess.host() : node;
    }

    /**
     * The prefix {@code astra worker} gives its workers' ids inside a Slurm job, from the job's
     * environment ({@code slurm-12_0:} in job 0 of array 12); empty outside Slurm.
     */
    public static String workerIdPrefix(Map<String, String> environment) {
        String array = environment.get("SLURM_ARRAY_JOB_ID");
        String task = environment.get("SLURM_ARRAY_TASK_ID");
        String job = environment.get("SLURM_JOB_ID");
        if (array != null && task != null) {
            return workerIdPrefix(array + "_" + task);
        }
        return job == null ? "" : workerIdPrefix(job);
    }

    /** The prefix of the ids of the workers of one job, named as squeue names it ({@code 12_0}, {@code 13}). */
    static String workerIdPrefix(String job) {
        return "slurm-" + job + ":";
    }

    /** Whether any task runs on Slurm. */
    public boolean usesSlurm() {
        return !groups.isEmpty();
    }

    /**
     * What one job of a group asks Slurm for; null strings are left to Slurm's defaults.
     *
     * @param nodes how many jobs (one node each) the group's array has
     * @param ppn workers per job, and the CPUs each job asks for ({@code --cpus-per-task})
     * @param walltime {@code --time}, in Slurm's syntax ({@code 48:00:00}, {@code 2-00:00:00})
     */
    public record JobShape(int nodes, int ppn, String walltime, String partition, String account, String mem,
            String gres) {

        /** The {@code sbatch} options for one job of this shape (the array and output are added by the pool). */
        List<String> sbatchOptions() {
            List<String> options = new ArrayList<>(List.of("--nodes=1", "--ntasks=1", "--cpus-per-task=" + ppn));
            add(options, "--time=", walltime);
            add(options, "--partition=", partition);
            add(options, "--account=", account);
            add(options, "--mem=", mem);
            add(options, "--gres=", gres);
            return options;
        }

        private static void add(List<String> options, String option, String value) {
            if (value != null) {
                options.add(option + value);
            }
        }
    }

    /**
     * Jobs that run the same workers: a name (for job names and log files), the families their
     * workers claim, and the shape of each job.
     */
    public record JobGroup(String name, ClaimScope scope, JobShape shape) {

        /** "the default group" or "group Fit", for messages. */
        String describe() {
            return name.equals(DEFAULT_GROUP) ? "the default group" : "group " + name;
        }
    }

    /**
     * Reads the executor and the Slurm settings.
     *
     * @param executor {@code --executor} when given, else {@code [core] executor} decides
     * @throws AstraException.BadConfig for an unknown executor or a bad value
     */
    public static SlurmOptions from(Config config, String executor) {
        String chosen = executor != null ? executor : config.get(ConfigKeys.EXECUTOR);
        boolean allOnSlurm = switch (chosen.strip().toLowerCase(Locale.ROOT)) {
            case "local" -> false;
            case "slurm" -> true;
            default -> throw new AstraException.BadConfig((executor != null ? "--executor" : "[core] executor")
                    + " must be local or slurm, not '" + chosen + "'");
        };
        JobShape defaults = shape(config, SECTION, new JobShape(1, 1, null, null, null, null, null));
        Set<String> local = new TreeSet<>();
        Set<String> onSlurm = new TreeSet<>();
        Map<String, JobShape> ownGroups = new TreeMap<>();
        for (String section : config.sections()) {
            if (!section.startsWith(FAMILY_SECTION_PREFIX)) {
                continue;
            }
            String family = section.substring(FAMILY_SECTION_PREFIX.length());
            boolean slurm = config.getBoolean(section, USE_SLURM, allOnSlurm);
            if (!slurm) {
                local.add(family);
                continue;
            }
            onSlurm.add(family);
            if (SHAPE_KEYS.stream().anyMatch(k -> config.get(section, k).isPresent())) {
                ownGroups.put(family, shape(config, section, defaults));
            }
        }
        List<JobGroup> groups = new ArrayList<>();
        Optional<ClaimScope> localScope;
        if (allOnSlurm) {
            Set<String> notDefault = new TreeSet<>(local);
            notDefault.addAll(ownGroups.keySet());
            groups.add(new JobGroup(DEFAULT_GROUP, ClaimScope.except(notDefault), defaults));
            localScope = local.isEmpty() ? Optional.empty() : Optional.of(ClaimScope.only(local));
        } else {
            Set<String> shared = new TreeSet<>(onSlurm);
            shared.removeAll(ownGroups.keySet());
            if (!shared.isEmpty()) {
                groups.add(new JobGroup(DEFAULT_GROUP, ClaimScope.only(shared), defaults));
            }
            localScope = Optional.of(onSlurm.isEmpty() ? ClaimScope.ALL : ClaimScope.except(onSlurm));
        }
        ownGroups.forEach((family, shape) -> groups.add(new JobGroup(family, ClaimScope.only(Set.of(family)), shape)));
        Duration poll = config.getDuration(SlurmKeys.SLURM_POLL_INTERVAL);
        if (poll.isNegative() || poll.isZero()) {
            throw new AstraException.BadConfig("[slurm] poll_interval must be above 0, got " + poll);
        }
        List<String> extra = Arrays.stream(config.get(SlurmKeys.SBATCH_OPTIONS).split(" "))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new SlurmOptions(groups, localScope, poll, extra);
    }

    private static JobShape shape(Config config, String section, JobShape base) {
        return new JobShape(positive(config, section, "slurm_nodes", base.nodes()),
                positive(config, section, "slurm_ppn", base.ppn()),
                text(config, section, "slurm_walltime", base.walltime()),
                text(config, section, "slurm_partition", base.partition()),
                text(config, section, "slurm_account", base.account()),
                text(config, section, "slurm_mem", base.mem()),
                text(config, section, "slurm_gres", base.gres()));
    }

    private static int positive(Config config, String section, String key, int base) {
        int value = config.getInt(section, key, base);
        if (value < 1) {
            throw new AstraException.BadConfig("[" + section + "] " + key + " must be at least 1, got " + value);
        }
        return value;
    }

    private static String text(Config config, String section, String key, String base) {
        Optional<String> value = config.get(section, key).map(String::strip);
        if (value.isEmpty() || value.get().isEmpty()) {
            // "slurm_walltime =" as the example writes it: Slurm's default.
            return base;
        }
        if (value.get().chars().anyMatch(Character::isWhitespace)) {
            throw new AstraException.BadConfig("[" + section + "] " + key + " must be one word for sbatch, got '"
                    + value.get() + "'");
        }
        return value.get();
    }
}
