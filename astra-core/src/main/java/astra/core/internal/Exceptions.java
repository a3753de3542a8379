package astra.core.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/** How exceptions are shown: one line for summaries and messages, the full trace as detail. */
public final class Exceptions {

    private Exceptions() {}

    /** The exception's simple type and the first line of its message. */
    public static String oneLine(Throwable e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        String line = message == null || message.isBlank() ? type : type + ": " + message;
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline);
    }

    public static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
