package astra.core.params;

/**
 * A string or JSON value that a codec cannot read. It carries the offending text and the reason
 * ("is not an int"); {@link ParamSpec} adds the parameter's name and turns it into a BadInput.
 */
final class BadValue extends RuntimeException {

    private final String text;

    BadValue(String text, String reason) {
        // No stack trace: this is an expected outcome of parsing user input, always rethrown.
        super(reason, null, false, false);
        this.text = text;
    }

    String text() {
        return text;
    }

    String reason() {
        return getMessage();
    }
}
