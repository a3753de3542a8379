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


    public static long pid() {
        return ProcessHandle.current().pid();
    }
}
