package astra.core.db;

/** What a run records about itself when it starts. */
public record RunInfo(String rootTaskIds, String host, long pid, String command) {}
