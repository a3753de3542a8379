package astra.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a task family a name other than its class's simple name. The family names the task on
 * the command line, in config sections and in task ids, so renaming a class while keeping its
 * {@code @TaskName} keeps its tasks' ids.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TaskName {
    String value();
}
