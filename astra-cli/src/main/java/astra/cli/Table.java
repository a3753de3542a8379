package astra.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Columns of text, as wide as their widest cell; numbers right-aligned. */
final class Table {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String[] header;
    private final List<Object[]> rows = new ArrayList<>();

    Table(String... header) {
        this.header = header;
    }

    void row(Object... cells) {
        rows.add(cells);
    }

    static String time(Instant at) {
        return at == null ? "-" : TIME.format(at);
    }

    void print(PrintWriter out, String indent) {
        int[] widths = Arrays.stream(header).mapToInt(String::length).toArray();
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], String.valueOf(row[i]).length());
            }
        }
        out.println(line(header, widths, indent));
        rows.forEach(r -> out.println(line(r, widths, indent)));
    }

    private static String line(Object[] cells, int[] widths, String indent) {
        StringBuilder s = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            String text = String.valueOf(cells[i]);
            boolean number = cells[i] instanceof Number;
            String pad = " ".repeat(widths[i] - text.length());
            s.append(number ? pad + text : i == cells.length - 1 ? text : text + pad);
            if (i < cells.length - 1) {
                s.append("  ");
            }
        }
        return s.toString().stripTrailing();
    }
}
