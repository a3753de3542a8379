package astra.examples.spectra;

import astra.core.AstraException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * One star of one pipeline version: the key of its files and of its row in
 * {@code example_stellar_labels_v}. The version is part of the key, so each {@code major.minor}
 * has outputs of its own (see {@link Pipeline}).
 */
public record Star(String release, String pipelineVersion, int field, int starId) {

    // The release becomes a directory name, so it must not be able to climb out of outputDir.
    private static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public Star {
        checkField(release, field);
        Pipeline.checkVersion(pipelineVersion);
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

    /** {@code <outputDir>/<release>/v<pipelineVersion>/field-0042}, e.g. {@code out/dr17/v1.0/field-0042}. */
    static Path fieldDir(Path outputDir, String release, String pipelineVersion, int field) {
        return outputDir.resolve(release).resolve("v" + pipelineVersion)
                .resolve(String.format(Locale.ROOT, "field-%04d", field));
    }

    /** {@code <outputDir>/<release>/v<pipelineVersion>/field-0042/star-0007.<kind>.csv}. */
    Path file(Path outputDir, String kind) {
        return fieldDir(outputDir, release, pipelineVersion, field).resolve(String.format(Locale.ROOT, "star-%04d.%s.csv", starId, kind));
    }

    /**
     * A seed that is the same in every JVM: String.hashCode and Random are specified exactly.
     * Not the version: a star's synthetic truth is the same whichever version analyses it.
     */
    long seed() {
        return (release.hashCode() * 1_000_003L + field) * 1_000_003L + starId;
    }
}
