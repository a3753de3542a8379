package astra.examples.spectra;

import astra.core.AstraException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** One star: the key of its files and of its row in {@code example_stellar_labels}. */
public record Star(String release, int field, int starId) {

    // The release becomes a directory name, so it must not be able to climb out of outputDir.
    private static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public Star {
        checkField(release, field);
        if (starId < 1) {
            throw new AstraException.BadInput("star id must be at least 1, got " + starId);
        }
    }

    /** Checks the parameters every task of the example shares; BadInput naming the bad one. */
    static void checkField(String release, int field) {
        if (release == null || !RELEASE.matcher(release).matches()) {
            throw new AstraException.BadInput("release must be a name like dr17 (letters, digits, . _ -), got '" + release + "'");
        }
        if (field < 0) {
            throw new AstraException.BadInput("--field must be 0 or more, got " + field);
        }
    }

    static void checkStarCount(int nStars) {
        if (nStars < 1) {
            throw new AstraException.BadInput("--n-stars must be at least 1, got " + nStars);
        }
    }

    /** {@code <outputDir>/<release>/field-0042}. */
    static Path fieldDir(Path outputDir, String release, int field) {
        return outputDir.resolve(release).resolve(String.format(Locale.ROOT, "field-%04d", field));
    }

    /** {@code <outputDir>/<release>/field-0042/star-0007.<kind>.csv}. */
    Path file(Path outputDir, String kind) {
        return fieldDir(outputDir, release, field).resolve(String.format(Locale.ROOT, "star-%04d.%s.csv", starId, kind));
    }

    /** A seed that is the same in every JVM: String.hashCode and java.util.Random are specified exactly. */
    long seed() {
        return (release.hashCode() * 1_000_003L + field) * 1_000_003L + starId;
    }
}
