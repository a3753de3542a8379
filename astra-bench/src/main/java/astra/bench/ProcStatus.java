package astra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A process's resident memory from {@code /proc/<pid>/status} (Linux): now and at its peak, in kB. */
record ProcStatus(long rssKb, long hwmKb) {

    static Optional<ProcStatus> read(long pid) {
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            return rss < 0 || hwm < 0 ? Optional.empty() : Optional.of(new ProcStatus(rss, hwm));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the process ended between listing and reading
        }
    }

    /** Whether the process runs the {@code java} executable. */
    static boolean isJava(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip().equals("java");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether memory can be read this way here. */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/status"));
    }

    private static long kb(String line) {
        // "VmRSS:	  123456 kB"
        String digits = line.substring(line.indexOf(':') + 1).replace("kB", "").strip();
        return Long.parseLong(digits);
    }
}
