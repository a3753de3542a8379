package astra.core;

/** Something a task produces, which either exists or does not. */
public interface Target {
    boolean exists();
}
