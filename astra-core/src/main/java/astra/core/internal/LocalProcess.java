package astra.core.internal;

import java.io.IOException;
import java.net.InetAddress;

/** This process as runs and workers record it: host name and pid. */
public final class LocalProcess {

    private LocalProcess() {}

    /** The host's name, or {@code localhost} when it cannot be resolved. */
    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /**
     * The host a worker records: inside a Slurm job the node's name as Slurm knows it
     * ({@code SLURMD_NODENAME}, which is what {@code squeue} shows and may differ from the
     * machine's name, as when several nodes share one machine), else {@link #host()}.
     */
    public static String workerHost() {
        String node = System.getenv("SLURMD_NODENAME");
        return node == null || node.isBlank() ? host() : node;
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }
}
