package astra.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a task parameter: a record component (where it is optional: every component is a
 * parameter) or a field of a task class (where it is required: only annotated fields are
 * parameters).
 *
 * <p>A parameter's value comes, in order, from the command line, from the task family's
 * section in the config file, then from {@link #defaultValue()}; a parameter with none of the
 * three is required. A {@link Visibility#PRIVATE} parameter skips the first two: only code and
 * the default set it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
public @interface Param {

    /** Marks "no default" in {@link #defaultValue()}; not a value anyone would type. */
    String NO_DEFAULT = "\u0000astra:no-default";

    /** One line shown by {@code astra run Task --help}. */
    String description() default "";

    /**
     * Whether the parameter is part of the task's identity. An insignificant parameter (a
     * thread count, a verbosity) is stored and passed to the task but does not change its id.
     */
    boolean significant() default true;

    /** The default, written as it would be on the command line ({@code "dr17"}, {@code "3"}). */
    String defaultValue() default NO_DEFAULT;

    /**
     * Who may see and set the parameter: {@link Visibility#PUBLIC} (the default),
     * {@link Visibility#HIDDEN} (settable, but not in {@code --help} nor in the readable part of
     * the task id) or {@link Visibility#PRIVATE} (set only by code).
     */
    Visibility visibility() default Visibility.PUBLIC;

    /**
     * Whether tasks of a {@link BatchTask} family that differ only in this parameter (and other
     * batchable ones) may be claimed together and run as one {@link BatchTask#runBatch} call.
     * A batchable parameter must be significant.
     */
    boolean batch() default false;
}
