package astra.worker.slurm;

import astra.core.config.ConfigKeys.Key;
import java.util.List;

/**
 * The keys of {@code [slurm]}, the Slurm executor's section of {@code utah.cfg}, with their
 * defaults: what {@link SlurmOptions} reads, what {@code utah.cfg.example} documents, and what
 * the command line checks a config against ({@code Config.withKeys}).
 */
public final class SlurmKeys {

    /** Slurm jobs for the workers, when {@code [core] executor = slurm} or a family asks for them. */
    public static final String SECTION = "slurm";

    public static final Key SLURM_NODES = new Key(SECTION, "slurm_nodes", "1",
            "Jobs of the job array, one node each (sbatch --array=0-<n-1> --nodes=1).");
    public static final Key SLURM_PPN = new Key(SECTION, "slurm_ppn", "1",
            "Workers each job runs, and the CPUs it asks for (--cpus-per-task).");
    public static final Key SLURM_WALLTIME = new Key(SECTION, "slurm_walltime", "",
            "Time limit of each job, in Slurm's syntax (48:00:00, 2-00:00:00) (--time); empty: the partition's.");
    public static final Key SLURM_PARTITION = new Key(SECTION, "slurm_partition", "",
            "Partition (--partition); empty: the cluster's default.");
    public static final Key SLURM_ACCOUNT = new Key(SECTION, "slurm_account", "", "Account charged (--account).");
    public static final Key SLURM_MEM = new Key(SECTION, "slurm_mem", "", "Memory per node, e.g. 16G (--mem).");
    public static final Key SLURM_GRES = new Key(SECTION, "slurm_gres", "", "Generic resources, e.g. gpu:1 (--gres).");
    public static final Key SLURM_POLL_INTERVAL = new Key(SECTION, "poll_interval", "5s",
            "How often astra run looks up its jobs with squeue.");
    public static final Key SBATCH_OPTIONS = new Key(SECTION, "sbatch_options", "",
            "More sbatch options for every job, separated by spaces, e.g. --qos=long.");

    public static final List<Key> ALL = List.of(SLURM_NODES, SLURM_PPN, SLURM_WALLTIME, SLURM_PARTITION,
            SLURM_ACCOUNT, SLURM_MEM, SLURM_GRES, SLURM_POLL_INTERVAL, SBATCH_OPTIONS);

    private SlurmKeys() {}
}
