package astra.worker.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import astra.worker.slurm.SlurmCommands.JobStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading what {@code squeue}, {@code scontrol show job -o} and {@code sacct} print about a run's
 * jobs. The outputs are Slurm 22.05's, captured on a small cluster (job names and working
 * directory changed), for an array of two jobs and jobs of their own: pending, running, completed
 * and cancelled.
 */
class SlurmCommandsTest {

    /** {@code squeue -h -r -j 11,12 -o %i|%T|%N}: a pending array, expanded by -r, and a job of its own. */
    static final String SQUEUE_PENDING = "11_0|PENDING|\n11_1|PENDING|\n12|PENDING|\n";
    static final String SQUEUE_RUNNING = "11_0|RUNNING|n2\n12|RUNNING|n2\n";

    /** {@code scontrol show job -o 15} once both jobs of array 15 were cancelled while running: one line each. */
    static final String SCONTROL_ARRAY = "JobId=15 ArrayJobId=15 ArrayTaskId=1 JobName=astra-7-default UserId=root(0) "
            + "GroupId=root(0) MCS_label=N/A Priority=4294901752 Nice=0 Account=root QOS=normal JobState=CANCELLED "
            + "Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15 RunTime=00:00:00 "
            + "TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-11-30T16:27:35 EligibleTime=2026-11-30T16:27:36 "
            + "AccrueTime=2026-11-30T16:27:36 StartTime=2026-11-30T16:27:42 EndTime=2026-11-30T16:27:42 Deadline=N/A "
            + "SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-30T16:27:42 Scheduler=Main Partition=debug "
            + "AllocNode:Sid=localhost:8256 ReqNodeList=(null) ExcNodeList=(null) NodeList=n1 BatchHost=n1 NumNodes=1 "
            + "NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* "
            + "NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) "
            + "DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) "
            + "WorkDir=/tmp StdErr=/tmp/slurm-15_1.out StdIn=/dev/null StdOut=/tmp/slurm-15_1.out Power= \n"
            + "JobId=16 ArrayJobId=15 ArrayTaskId=0 JobName=astra-7-default UserId=root(0) GroupId=root(0) "
            + "MCS_label=N/A Priority=4294901752 Nice=0 Account=root QOS=normal JobState=CANCELLED Reason=None "
            + "Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15 RunTime=00:00:00 "
            + "TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-11-30T16:27:35 EligibleTime=2026-11-30T16:27:36 "
            + "AccrueTime=2026-11-30T16:27:36 StartTime=2026-11-30T16:27:42 EndTime=2026-11-30T16:27:42 Deadline=N/A "
            + "SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-30T16:27:42 Scheduler=Main Partition=debug "
            + "AllocNode:Sid=localhost:8256 ReqNodeList=(null) ExcNodeList=(null) NodeList=n1 BatchHost=n1 NumNodes=1 "
            + "NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* "
            + "NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) "
            + "DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) "
            + "WorkDir=/tmp StdErr=/tmp/slurm-15_0.out StdIn=/dev/null StdOut=/tmp/slurm-15_0.out Power= \n";

    /** {@code scontrol show job -o 12}: a job of its own that completed. */
    static final String SCONTROL_COMPLETED = "JobId=12 JobName=astra-7-Fit UserId=root(0) GroupId=root(0) "
            + "MCS_label=N/A Priority=4294901754 Nice=0 Account=root QOS=normal JobState=COMPLETED Reason=None "
            + "Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:01 "
            + "TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-11-30T16:27:17 EligibleTime=2026-11-30T16:27:17 "
            + "AccrueTime=2026-11-30T16:27:17 StartTime=2026-11-30T16:27:23 EndTime=2026-11-30T16:27:24 Deadline=N/A "
            + "SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-30T16:27:23 Scheduler=Main Partition=debug "
            + "AllocNode:Sid=localhost:8256 ReqNodeList=(null) ExcNodeList=(null) NodeList=n2 BatchHost=n2 NumNodes=1 "
            + "NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* "
            + "NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) "
            + "DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) "
            + "WorkDir=/tmp StdErr=/tmp/slurm-12.out StdIn=/dev/null StdOut=/tmp/slurm-12.out Power= \n";

    /** {@code scontrol show job -o 14}: a held job cancelled before it ever ran (no node: "NodeList="). */
    static final String SCONTROL_NEVER_RAN = "JobId=14 JobName=astra-7-default UserId=root(0) GroupId=root(0) "
            + "MCS_label=N/A Priority=0 Nice=0 Account=root QOS=normal JobState=CANCELLED Reason=JobHeldUser "
            + "Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 "
            + "TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-11-30T16:27:34 EligibleTime=Unknown AccrueTime=Unknown "
            + "StartTime=2026-11-30T16:27:35 EndTime=2026-11-30T16:27:35 Deadline=N/A SuspendTime=None "
            + "SecsPreSuspend=0 LastSchedEval=2026-11-30T16:27:34 Scheduler=Main Partition=debug "
            + "AllocNode:Sid=localhost:8256 ReqNodeList=(null) ExcNodeList=(null) NodeList= NumNodes=1 NumCPUs=1 "
            + "NumTasks=N/A CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=7693M,node=1,billing=1 Socks/Node=* "
            + "NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) "
            + "DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) "
            + "WorkDir=/tmp StdErr=/tmp/slurm-14.out StdIn=/dev/null StdOut=/tmp/slurm-14.out Power= \n";

    /** {@code sacct -n -X -P -j 11,12,14,15 -o JobID,State,NodeList}. */
    static final String SACCT = "14|CANCELLED by 0|None assigned\n15_0|CANCELLED by 0|n1\n15_1|CANCELLED by 0|n1\n"
            + "11_0|COMPLETED|n2\n12|RUNNING|n2\n";

    @Test
    void squeueListsEachJobOfAnArrayByItsOwnNameAndAPendingJobWithoutNode() {
        Map<String, JobStatus> jobs = SlurmCommands.parseSqueue(SQUEUE_PENDING);

        assertThat(jobs).containsExactly(Map.entry("11_0", new JobStatus("11_0", "PENDING", "")),
                Map.entry("11_1", new JobStatus("11_1", "PENDING", "")),
                Map.entry("12", new JobStatus("12", "PENDING", "")));
        assertThat(jobs.values()).noneMatch(JobStatus::ended);
        assertThat(SlurmCommands.parseSqueue(SQUEUE_RUNNING)).containsExactly(
                Map.entry("11_0", new JobStatus("11_0", "RUNNING", "n2")),
                Map.entry("12", new JobStatus("12", "RUNNING", "n2")));
    }

    @Test
    void squeueWithNothingListedIsNoJob() {
        assertThat(SlurmCommands.parseSqueue("")).isEmpty();
        assertThat(SlurmCommands.parseSqueue("\n\n")).isEmpty();
    }

    @Test
    void scontrolNamesTheJobsOfAnArrayByArrayAndTaskNotByTheirOwnIds() {
        Map<String, JobStatus> jobs = SlurmCommands.parseScontrol(SCONTROL_ARRAY);

        assertThat(jobs).containsExactly(Map.entry("15_1", new JobStatus("15_1", "CANCELLED", "n1")),
                Map.entry("15_0", new JobStatus("15_0", "CANCELLED", "n1")));
        assertThat(jobs).doesNotContainKey("16");
        assertThat(jobs.values()).allMatch(JobStatus::ended);
    }

    @Test
    void scontrolNamesAJobOfItsOwnByItsId() {
        assertThat(SlurmCommands.parseScontrol(SCONTROL_COMPLETED))
                .containsExactly(Map.entry("12", new JobStatus("12", "COMPLETED", "n2")));
        assertThat(SlurmCommands.parseScontrol(SCONTROL_COMPLETED).get("12").ended()).isTrue();
    }

    @Test
    void scontrolWithoutANodeGivesNoneAndIgnoresTheOtherNodeLists() {
        assertThat(SlurmCommands.parseScontrol(SCONTROL_NEVER_RAN))
                .containsExactly(Map.entry("14", new JobStatus("14", "CANCELLED", "")));
        String olderSlurm = "JobId=20 JobName=astra-7-default JobState=PENDING Reason=Resources "
                + "ReqNodeList=n3 ExcNodeList=(null) NodeList=(null) NumNodes=1\n";
        assertThat(SlurmCommands.parseScontrol(olderSlurm))
                .containsExactly(Map.entry("20", new JobStatus("20", "PENDING", "")));
    }

    @Test
    void scontrolOfAJobItForgotIsNoJob() {
        assertThat(SlurmCommands.parseScontrol("")).isEmpty();
        assertThat(SlurmCommands.parseScontrol("slurm_load_jobs error: Invalid job id specified\n")).isEmpty();
    }

    @Test
    void sacctGivesTheFirstWordOfTheStateAndNoNodeForNoneAssigned() {
        Map<String, JobStatus> jobs = SlurmCommands.parseSacct(SACCT);

        assertThat(jobs).containsExactly(Map.entry("14", new JobStatus("14", "CANCELLED", "")),
                Map.entry("15_0", new JobStatus("15_0", "CANCELLED", "n1")),
                Map.entry("15_1", new JobStatus("15_1", "CANCELLED", "n1")),
                Map.entry("11_0", new JobStatus("11_0", "COMPLETED", "n2")),
                Map.entry("12", new JobStatus("12", "RUNNING", "n2")));
        assertThat(jobs.get("14").ended()).isTrue();
        assertThat(jobs.get("12").ended()).isFalse();
        assertThat(SlurmCommands.parseSacct("")).isEmpty();
    }

    @Test
    void everyEndedStateEndsAJobAndTheLiveOnesDoNot() {
        for (String state : new String[] {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
                "PREEMPTED", "BOOT_FAIL", "DEADLINE"}) {
            assertThat(new JobStatus("1", state, "").ended()).as(state).isTrue();
        }
        for (String state : new String[] {"PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED"}) {
            assertThat(new JobStatus("1", state, "").ended()).as(state).isFalse();
        }
    }

    @Test
    void aPendingArrayCancelledBeforeItWasSplitIsEveryOneOfItsJobs() {
        // Captured on Slurm 22.05 after scancel of a held two-job array 17.
        Map<String, JobStatus> scontrol = SlurmCommands.parseScontrol("JobId=17 ArrayJobId=17 ArrayTaskId=0-1 "
                + "JobName=held UserId=root(0) JobState=CANCELLED Reason=None NodeList=(null) BatchHost=(null)\n");
        assertThat(scontrol.keySet()).containsExactly("17_0", "17_1");
        assertThat(scontrol.values()).allSatisfy(j -> {
            assertThat(j.ended()).isTrue();
            assertThat(j.node()).isEmpty();
        });

        Map<String, JobStatus> sacct = SlurmCommands.parseSacct("17_[0-1]|CANCELLED by 0|None assigned\n");
        assertThat(sacct.keySet()).containsExactly("17_0", "17_1");
        assertThat(sacct.get("17_1").state()).isEqualTo("CANCELLED");
    }

    @Test
    void arrayTaskIdsSpellRangesListsAndThrottles() {
        assertThat(SlurmCommands.arrayJobs("9", "3")).containsExactly("9_3");
        assertThat(SlurmCommands.arrayJobs("9", "0,4-5")).containsExactly("9_0", "9_4", "9_5");
        assertThat(SlurmCommands.arrayJobs("9", "0-2%1")).containsExactly("9_0", "9_1", "9_2");
        assertThat(SlurmCommands.arrayJobs("9", "unknown")).isEmpty();
    }

    @Test
    void theTimeLeftOfAJobIsReadInEachOfSqueuesFormsAndNoneForAJobWithoutALimit() {
        assertThat(SlurmCommands.parseTimeLeft("0:59\n")).contains(java.time.Duration.ofSeconds(59));
        assertThat(SlurmCommands.parseTimeLeft("12:30")).contains(java.time.Duration.ofMinutes(12).plusSeconds(30));
        assertThat(SlurmCommands.parseTimeLeft("1:02:03")).contains(java.time.Duration.parse("PT1H2M3S"));
        assertThat(SlurmCommands.parseTimeLeft("2-04:00:00")).contains(java.time.Duration.parse("P2DT4H"));
        assertThat(SlurmCommands.parseTimeLeft("UNLIMITED")).isEmpty();
        assertThat(SlurmCommands.parseTimeLeft("NOT_SET")).isEmpty();
        assertThat(SlurmCommands.parseTimeLeft("")).isEmpty();
    }

    @Test
    void theEndOfAJobIsTakenFromSlurmJobEndTimeWhenSlurmSetsIt() {
        assertThat(SlurmCommands.jobEnd(Map.of("SLURM_JOB_END_TIME", "1796540400", "SLURM_JOB_ID", "7")))
                .contains(java.time.Instant.ofEpochSecond(1796540400L));
        assertThat(SlurmCommands.jobEnd(Map.of())).as("outside a job").isEmpty();
    }
}
