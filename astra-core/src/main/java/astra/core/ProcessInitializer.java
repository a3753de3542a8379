package astra.core;


/**
 * Runs once in each worker process, when it starts and before it claims a task: the hook Luigi
 * never offered. The database reconnect is always first ({@link ReconnectDatabase}); yours come
 * after, in the order of {@code [worker] initializers}, to load something expensive once per
 * process. What an initializer {@linkplain ProcessResources#provide provides}, tasks get from
 * {@code TaskContext.resource(type)}.
 *
 * <p>An implementation needs a public no-argument constructor. If it throws, the worker does
 * not start and the run stops, naming the initializer and its error: a broken hook is not
 * retried.
 */
@FunctionalInterface
public interface ProcessInitializer {

    void initialize(ProcessResources process) throws Exception;
}
