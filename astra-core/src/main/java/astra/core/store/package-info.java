/**
 * Astra's tables as a task queue ({@link TaskStore}): plans, claims, the
 * records of attempts, and the operator's queries. Used by the scheduler, the workers and the
 * command line; not part of the API a pipeline compiles against (see {@code astra.core.internal}).
 */
package astra.core.store;
