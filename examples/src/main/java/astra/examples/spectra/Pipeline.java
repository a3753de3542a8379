package astra.examples.spectra;

import astra.core.AstraException;
import java.util.regex.Pattern;

/**
 * The example pipeline's version, and the part of it that task ids carry.
 *
 * <p>Every task of the example has a hidden, significant {@code pipelineVersion} parameter whose
 * default is {@link #MAJOR_MINOR}, and every {@code requires()} passes its own value down, so all
 * the tasks of one run share it. Being significant, it is in every task id's hash (being hidden,
 * not in the readable part): a new {@code MAJOR_MINOR} makes every task a new task, with a new id
 * and a new row in Astra's task table, while a patch release, which changes only
 * {@link #VERSION}, keeps every id. An operator can still force a version with
 * {@code --pipeline-version 1.0} or {@code pipeline_version = 1.0} in a family's config section.
 *
 * <p>The outputs carry the version too, as the original SDSS astra kept its outputs per
 * {@code major.minor}: files go under {@code <outputDir>/<release>/v<pipelineVersion>/...} and rows
 * of {@code example_stellar_labels_v} are keyed by release, pipeline version, field and star. So a
 * version bump reruns the whole pipeline, even the tasks that check their own outputs, and writes
 * beside the old version's outputs without touching them: the old version stays complete, and
 * running it again has nothing to do. A patch release keeps every id and every output, and reruns
 * nothing.
 */
public final class Pipeline {

    /**
     * This release, {@code major.minor.patch}. Change it with every release; change
     * {@link #MAJOR_MINOR} with it when the major or minor number changes.
     */
    public static final String VERSION = "1.0.0";

    /**
     * The {@code major.minor} of {@link #VERSION}, and the default {@code pipelineVersion} of every
     * task. Bump it on a minor or major release to rerun everything (results may differ); leave it
     * on a patch release, whose results must not.
     */
    public static final String MAJOR_MINOR = "1.0";

    private static final Pattern MAJOR_MINOR_FORM = Pattern.compile("[0-9]+\\.[0-9]+");

    private Pipeline() {}

    /** BadInput unless {@code version} is a {@code major.minor} like {@link #MAJOR_MINOR}. */
    static void checkVersion(String version) {
        if (version == null || !MAJOR_MINOR_FORM.matcher(version).matches()) {
            throw new AstraException.BadInput("--pipeline-version must be major.minor, like " + MAJOR_MINOR
                    + ", got '" + version + "'");
        }
    }
}
