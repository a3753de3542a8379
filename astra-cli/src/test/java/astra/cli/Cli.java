package astra.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs {@code astra} in this JVM, as the tests of the commands do, and keeps what it printed. */
final class Cli {

    private Cli() {}

    record Result(int code, String out, String err) {}

    static Result astra(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static Result astra(String... args) {
        return astra(List.of(args));
    }
}
