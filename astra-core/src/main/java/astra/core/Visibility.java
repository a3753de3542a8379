package astra.core;

/**
 * Who may see and set a task parameter ({@link Param#visibility()}). Visibility never decides
 * whether a parameter is part of the task id: {@link Param#significant()} does, and a significant
 * parameter of any visibility is in the id's hash.
 */
public enum Visibility {

    /**
     * The default: a command-line option ({@code --min-snr}), a key of the family's config
     * section ({@code min_snr}), listed by {@code astra run Task --help}, and, when significant,
     * one of the values in the readable part of the task id.
     */
    PUBLIC,

    /**
     * Settable like a public parameter, from the command line or the config, so that an
     * operator can force it, and in the id's hash when significant; but not listed by
     * {@code --help} and left out of the readable part of the task id. Meant for values users
     * should rarely touch, such as a pipeline version that every task of a release shares.
     */
    HIDDEN,

    /**
     * Set only by code: by the {@code requires()} that builds the task, or else the default. The
     * command line refuses it (exit 2, saying the parameter is private), a key for it in the
     * family's config section is ignored with a warning, as an unknown key is, and it is never
     * listed by {@code --help} nor shown in the readable part of the task id. Its value is still
     * stored with the task's parameters, so a worker process rebuilds the same task, and, when
     * significant, is in the id's hash.
     */
    PRIVATE
}
