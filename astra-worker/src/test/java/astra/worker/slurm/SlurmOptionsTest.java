package astra.worker.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.store.ClaimScope;
import astra.worker.slurm.SlurmOptions.JobGroup;
import astra.worker.slurm.SlurmOptions.JobShape;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where the config places a run's tasks ({@link SlurmOptions#from}): the executor, the job groups
 * and their shapes, the families this host's workers keep, and what a bad value says.
 */
class SlurmOptionsTest {

    private static final JobShape ONE_CPU = new JobShape(1, 1, null, null, null, null, null);
    private static final String SHAPED = "[slurm]\nslurm_nodes = 4\nslurm_ppn = 8\nslurm_walltime = 48:00:00\n"
            + "slurm_partition = short\nslurm_account = astro\nslurm_mem = 16G\n";
    private static final JobShape SHAPED_JOB = new JobShape(4, 8, "48:00:00", "short", "astro", "16G", null);

    private static SlurmOptions from(String config, String executor) {
        return SlurmOptions.from(Config.parse(config, "utah.cfg", Map.of()), executor);
    }

    private static String badConfig(String config, String executor) {
        return assertThrows(AstraException.BadConfig.class, () -> from(config, executor)).getMessage();
    }

    @Test
    void withoutExecutorOrSlurmSectionEverythingRunsOnThisHost() {
        SlurmOptions options = from("", null);

        assertThat(options.groups()).isEmpty();
        assertThat(options.usesSlurm()).isFalse();
        assertThat(options.local()).contains(ClaimScope.ALL);
        assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.sbatchOptions()).isEmpty();
        assertThat(options).isEqualTo(SlurmOptions.LOCAL);
        assertThat(from(SHAPED, null)).as("[slurm] alone sends nothing to Slurm").isEqualTo(SlurmOptions.LOCAL);
    }

    @Test
    void executorSlurmSendsEveryFamilyToOneDefaultGroupShapedBySlurmSection() {
        SlurmOptions options = from("[core]\nexecutor = slurm\n" + SHAPED + "slurm_gres = gpu:1\n", null);

        assertThat(options.groups()).containsExactly(new JobGroup("default", ClaimScope.ALL,
                new JobShape(4, 8, "48:00:00", "short", "astro", "16G", "gpu:1")));
        assertThat(options.local()).as("no worker on this host").isEmpty();
        assertThat(options.usesSlurm()).isTrue();
    }

    @Test
    void executorSlurmWithoutSlurmSectionAsksForOneJobOfOneCpu() {
        assertThat(from("[core]\nexecutor = slurm\n", null).groups())
                .containsExactly(new JobGroup("default", ClaimScope.ALL, ONE_CPU));
    }

    @Test
    void theExecutorArgumentWinsOverTheConfig() {
        assertThat(from("[core]\nexecutor = slurm\n" + SHAPED, "local")).isEqualTo(SlurmOptions.LOCAL);
        assertThat(from("[core]\nexecutor = local\n" + SHAPED, "slurm").groups())
                .containsExactly(new JobGroup("default", ClaimScope.ALL, SHAPED_JOB));
        assertThat(from("", " Slurm ").usesSlurm()).as("any case, spaces around").isTrue();
    }

    @Test
    void anUnknownExecutorIsRefusedNamingWhereItCameFrom() {
        assertThat(badConfig("", "nonsense")).isEqualTo("--executor must be local or slurm, not 'nonsense'");
        assertThat(badConfig("[core]\nexecutor = pbs\n", null))
                .isEqualTo("[core] executor must be local or slurm, not 'pbs'");
        assertThat(from("[core]\nexecutor = pbs\n", "local")).as("--executor wins").isEqualTo(SlurmOptions.LOCAL);
    }

    @Test
    void countsBelowOneAreRefused() {
        assertThat(badConfig("[core]\nexecutor = slurm\n[slurm]\nslurm_nodes = 0\n", null))
                .isEqualTo("[slurm] slurm_nodes must be at least 1, got 0");
        assertThat(badConfig("[core]\nexecutor = slurm\n[slurm]\nslurm_ppn = -2\n", null))
                .isEqualTo("[slurm] slurm_ppn must be at least 1, got -2");
        assertThat(badConfig("[core]\nexecutor = slurm\n[slurm.Fit]\nslurm_nodes = 0\n", null))
                .isEqualTo("[slurm.Fit] slurm_nodes must be at least 1, got 0");
        assertThat(badConfig("[slurm]\nslurm_nodes = two\n", null)).contains("slurm_nodes").contains("'two'")
                .contains("not an integer");
    }

    @Test
    void aValueSbatchWouldSplitIsRefused() {
        assertThat(badConfig("[slurm]\nslurm_partition = short queue\n", "slurm"))
                .isEqualTo("[slurm] slurm_partition must be one word for sbatch, got 'short queue'");
        assertThat(badConfig("[slurm.Fit]\nuse_slurm = true\nslurm_gres = gpu: 1\n", null))
                .isEqualTo("[slurm.Fit] slurm_gres must be one word for sbatch, got 'gpu: 1'");
        assertThat(from("[slurm]\nslurm_mem =   16G  \n", "slurm").groups().get(0).shape().mem())
                .as("spaces around are not in the value").isEqualTo("16G");
    }

    @Test
    void aFamilyWithItsOwnSlurmKeysGetsItsOwnGroupOverSlurmSection() {
        SlurmOptions options = from("[core]\nexecutor = slurm\n" + SHAPED + "[slurm.Fit]\nslurm_gres = gpu:1\n"
                + "slurm_nodes = 2\n", null);

        assertThat(options.groups()).containsExactly(
                new JobGroup("default", ClaimScope.except(Set.of("Fit")), SHAPED_JOB),
                new JobGroup("Fit", ClaimScope.only(Set.of("Fit")),
                        new JobShape(2, 8, "48:00:00", "short", "astro", "16G", "gpu:1")));
        assertThat(options.local()).isEmpty();
    }

    @Test
    void underExecutorSlurmAFamilyCanStayOnThisHost() {
        SlurmOptions options = from("[core]\nexecutor = slurm\n[slurm.Fit]\nuse_slurm = false\n", null);

        assertThat(options.groups()).containsExactly(new JobGroup("default", ClaimScope.except(Set.of("Fit")), ONE_CPU));
        assertThat(options.local()).contains(ClaimScope.only(Set.of("Fit")));
    }

    @Test
    void aFamilyStayingOnThisHostIgnoresItsSlurmKeys() {
        SlurmOptions options = from("[core]\nexecutor = slurm\n[slurm.Fit]\nuse_slurm = false\nslurm_gres = gpu:1\n",
                null);

        assertThat(options.groups()).extracting(JobGroup::name).containsExactly("default");
        assertThat(options.local()).contains(ClaimScope.only(Set.of("Fit")));
        assertThat(from("[slurm.Fit]\nslurm_gres = gpu:1\n", null)).as("under local, use_slurm is false by default")
                .isEqualTo(SlurmOptions.LOCAL);
    }

    @Test
    void underExecutorLocalAFamilyCanRunOnSlurm() {
        SlurmOptions options = from(SHAPED + "[slurm.Fit]\nuse_slurm = true\n", null);

        assertThat(options.groups()).containsExactly(new JobGroup("default", ClaimScope.only(Set.of("Fit")), SHAPED_JOB));
        assertThat(options.local()).contains(ClaimScope.except(Set.of("Fit")));
    }

    @Test
    void underExecutorLocalFamiliesOnSlurmShareTheDefaultGroupUnlessShapedTheirOwnWay() {
        SlurmOptions options = from("[slurm.Fit]\nuse_slurm = yes\nslurm_gres = gpu:1\n[slurm.Plot]\nuse_slurm = on\n"
                + "[slurm.Load]\nuse_slurm = true\n[slurm.Sum]\nuse_slurm = false\n", null);

        assertThat(options.groups()).containsExactly(
                new JobGroup("default", ClaimScope.only(Set.of("Load", "Plot")), ONE_CPU),
                new JobGroup("Fit", ClaimScope.only(Set.of("Fit")), new JobShape(1, 1, null, null, null, null, "gpu:1")));
        assertThat(options.local()).contains(ClaimScope.except(Set.of("Fit", "Load", "Plot")));
    }

    @Test
    void aUseSlurmThatIsNoBooleanIsRefused() {
        assertThat(badConfig("[slurm.Fit]\nuse_slurm = maybe\n", null)).contains("[slurm.Fit] use_slurm")
                .contains("'maybe'").contains("not a boolean");
    }

    @Test
    void thePollIntervalMustBeAboveZero() {
        assertThat(badConfig("[slurm]\npoll_interval = 0\n", "slurm")).isEqualTo("[slurm] poll_interval must be above 0, got PT0S");
        assertThat(badConfig("[slurm]\npoll_interval = soon\n", "slurm")).contains("poll_interval").contains("'soon'");
        assertThat(from("[slurm]\npoll_interval = 1m30s\n", "slurm").pollInterval()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void sbatchOptionsAreSplitOnSpaces() {
        assertThat(from("[slurm]\nsbatch_options =  --qos=long   --exclusive --constraint=ib\n", "slurm").sbatchOptions())
                .containsExactly("--qos=long", "--exclusive", "--constraint=ib");
        assertThat(from("[slurm]\nsbatch_options =\n", "slurm").sbatchOptions()).isEmpty();
    }

    @Test
    void aJobAsksForOneNodeOneTaskAndItsWorkersCpusAndOnlyTheOptionsSet() {
        assertThat(ONE_CPU.sbatchOptions()).containsExactly("--nodes=1", "--ntasks=1", "--cpus-per-task=1");
        assertThat(new JobShape(4, 8, "2-00:00:00", "short", "astro", "16G", "gpu:1").sbatchOptions()).containsExactly(
                "--nodes=1", "--ntasks=1", "--cpus-per-task=8", "--time=2-00:00:00", "--partition=short",
                "--account=astro", "--mem=16G", "--gres=gpu:1");
        assertThat(new JobShape(3, 2, null, null, null, null, "gpu:a100:2").sbatchOptions())
                .as("the group's node count is the array's size, not each job's")
                .containsExactly("--nodes=1", "--ntasks=1", "--cpus-per-task=2", "--gres=gpu:a100:2");
    }

    @Test
    void workerIdsInAnArrayJobNameTheJobAsSqueueDoes() {
        Map<String, String> arrayJob = Map.of("SLURM_ARRAY_JOB_ID", "12", "SLURM_ARRAY_TASK_ID", "1",
                "SLURM_JOB_ID", "14", "SLURMD_NODENAME", "n2");

        assertThat(SlurmOptions.workerIdPrefix(arrayJob)).isEqualTo("slurm-12_1:");
        assertThat(SlurmCommands.parseSqueue("12_1|RUNNING|n2\n")).containsKey("12_1");
    }

    @Test
    void workerIdsInASingleJobNameTheJobAndOutsideSlurmNothing() {
        assertThat(SlurmOptions.workerIdPrefix(Map.of("SLURM_JOB_ID", "13", "SLURM_JOB_NAME", "astra-5-default")))
                .isEqualTo("slurm-13:");
        assertThat(SlurmOptions.workerIdPrefix(Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_JOB_ID", "13")))
                .as("half an array's variables").isEqualTo("slurm-13:");
        assertThat(SlurmOptions.workerIdPrefix(Map.of("HOME", "/home/me"))).isEmpty();
    }

    @Test
    void anEmptyValueLeavesTheSettingToSlurmAsTheExampleSays() {
        SlurmOptions options = from("[slurm]\nslurm_walltime =\nslurm_partition =\nslurm_gres =\n", "slurm");

        assertThat(options.groups().get(0).shape()).isEqualTo(ONE_CPU);
        assertThat(options.groups().get(0).shape().sbatchOptions())
                .containsExactly("--nodes=1", "--ntasks=1", "--cpus-per-task=1");
    }
}
