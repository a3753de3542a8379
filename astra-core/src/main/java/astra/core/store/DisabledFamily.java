package astra.core.store;

import java.time.Instant;

/** A family whose tasks no worker claims, since when and by whom ({@code astra disable}). */
public record DisabledFamily(String family, Instant since, String by) {}
