/**
 * Connections to the database: {@link Database} (profiles, {@code ~/.pgpass},
 * pooling, a worker process's reconnect, Python Astra's session switching), its settings, and
 * the migration of Astra's tables. Tasks reach their own tables through
 * {@code Database.current().dsl()} or {@code TaskContext.db()}.
 */
package astra.core.db;
