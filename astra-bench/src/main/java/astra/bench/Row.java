package astra.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One line of the results table: a case's figures, or why it was skipped or failed. */
final class Row {

    enum Status { OK, SKIPPED, FAILED }

    enum Db {
        SQLITE("SQLite"), POSTGRES("PostgreSQL"),
        /** A peer that keeps its state in memory (Luigi's local scheduler). */
        MEMORY("in memory");

        final String label;

        Db(String label) {
            this.label = label;
        }
    }

    /**
     * Which case: its name (what --only matches), the variant it was measured with, its size; and
     * the groups that --only also selects it by (the Astra rows the peers are compared with are
     * in the group {@code peers}).
     */
    record Key(String id, String variant, int n, int workers, Db db, List<String> groups) {
        Key(String id, String variant, int n, int workers, Db db) {
            this(id, variant, n, workers, db, List.of());
        }

        /** This key, also selected by {@code --only group}. */
        Key alsoIn(String group) {
            List<String> all = new ArrayList<>(groups);
            all.add(group);
            return new Key(id, variant, n, workers, db, List.copyOf(all));
        }

        String name() {
            return variant == null ? id : id + " [" + variant + "]";
        }

        boolean selectedBy(List<String> prefixes) {
            return prefixes.isEmpty() || prefixes.stream().anyMatch(p -> id.startsWith(p) || groups.contains(p));
        }
    }

    final Key key;
    Status status = Status.OK;
    Double wallSeconds;
    Double tasksPerSecond;
    /** Tasks per second while executing (first start to last done), where the case measures it. */
    Double executionRate;
    Integer peakConnections;
    Integer budget;
    Long sessions;
    Double peakRssMb;
    private final List<String> notes = new ArrayList<>();

    Row(Key key) {
        this.key = key;
    }

    Row note(String note) {
        notes.add(note);
        return this;
    }

    Row fail(String why) {
        status = Status.FAILED;
        notes.add(0, "FAILED: " + why);
        return this;
    }

    Row skip(String why) {
        status = Status.SKIPPED;
        notes.add(0, "skipped: " + why);
        return this;
    }

    String noteText() {
        return String.join("; ", notes);
    }

    static final String HEADER = "| case | N | workers | database | wall s (median) | tasks/s | vs peer"
            + " | peak connections (budget) | sessions opened | peak RSS MB | note |\n"
            + "|---|---:|---:|---|---:|---:|---|---:|---:|---:|---|\n";

    String markdown() {
        return markdown(DASH);
    }

    /** The row with its "vs peer" cell ({@link PeerRatios}). */
    String markdown(String vsPeer) {
        return "| " + String.join(" | ", key.name(), String.format(Locale.ROOT, "%,d", key.n()),
                Integer.toString(key.workers()), key.db().label, fixed(wallSeconds, 2), fixed(tasksPerSecond, 0),
                cell(vsPeer), connections(), sessions == null ? DASH : sessions.toString(), fixed(peakRssMb, 0),
                cell(noteText())) + " |";
    }

    static final String DASH = "–";

    private String connections() {
        if (peakConnections == null && budget == null) {
            return DASH;
        }
        return (peakConnections == null ? DASH : peakConnections.toString()) + " (" + (budget == null ? DASH : budget) + ")";
    }

    private static String fixed(Double value, int decimals) {
        return value == null || value.isNaN() ? DASH : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static String cell(String text) {
        return text.isBlank() ? DASH : text.replace('|', '/').replace('\n', ' ');
    }
}
