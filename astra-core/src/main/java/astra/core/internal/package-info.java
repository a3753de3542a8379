/**
 * Astra's own helpers, shared by its modules: not part of the API a pipeline compiles against,
 * and free to change in any release. A pipeline uses {@code astra.core} (tasks, parameters,
 * targets, contexts, process initializers) and {@code astra.core.db} ({@code Database}); the
 * packages {@code astra.core.internal}, {@code astra.core.store}, {@code astra.core.params} and
 * {@code astra.core.config} are Astra's machinery. The example pipeline's {@code ApiBoundaryTest}
 * holds it to that rule.
 */
package astra.core.internal;
