package astra.core.store;

import java.time.Instant;

/** A run's row: who started it, where, and how it ended ({@code null} while it has not). */
public record RunRecord(long runId, Instant startedAt, Instant finishedAt, String host, long pid, String command,
        String outcome) {}
