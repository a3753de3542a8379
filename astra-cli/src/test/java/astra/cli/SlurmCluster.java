package astra.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Slurm cluster the {@code slurm}-tagged tests submit to: the one whose commands are on the
 * PATH ({@code LOCAL_SLURM_NODES=3 bash .ci/slurm-local.sh up} starts one on this host). Without one the
 * tests are skipped with the reason, unless {@code $ASTRA_TEST_REQUIRE_SLURM=1} (CI), which
 * fails them instead.
 */
final class SlurmCluster {

    static final String REQUIRE_ENV = "ASTRA_TEST_REQUIRE_SLURM";

    private static String problem;
    private static boolean looked;
    private static boolean announced;

    private SlurmCluster() {}

    /** Skips (or fails, when required) the calling test unless a cluster answers with nodes up. */
    static synchronized void require() {
        if (!looked) {
            looked = true;
            problem = lookForNodes();
        }
        if (problem == null) {
            return;
        }
        String reason = "Slurm tests skipped: " + problem + " (start a local cluster with "
                + "LOCAL_SLURM_NODES=3 bash .ci/slurm-local.sh up, as root)";
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            Assertions.fail(reason.replace("tests skipped", "tests required (" + REQUIRE_ENV + "=1)"));
        }
        if (!announced) {
            // Surefire keeps the reasons of skipped tests in its reports; say it once where people look.
            announced = true;
            System.err.println("[astra] " + reason);
        }
        Assumptions.abort(reason);
    }

    /** The output of a Slurm command that must succeed. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** Null when sinfo lists at least one usable node, else what is wrong. */
    private static String lookForNodes() {
        try {
            Process process = new ProcessBuilder("sinfo", "-h", "-N", "-o", "%N %t").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "sinfo failed: " + out.strip();
            }
            List<String> usable = out.lines().filter(l -> l.matches("\\S+ (idle|mix|alloc)")).toList();
            return usable.isEmpty() ? "no Slurm node is up: " + out.strip() : null;
        } catch (IOException e) {
            return "Slurm is not installed (sinfo: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
