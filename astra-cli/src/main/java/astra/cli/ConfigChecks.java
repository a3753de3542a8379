package astra.cli;

import astra.core.Visibility;
import astra.core.config.Config;
import astra.core.config.ConfigKeys.Key;
import astra.core.config.ConfigKeys;
import astra.core.internal.Suggestions;
import astra.core.params.ParamSpec;
import astra.core.params.TaskSchema;
import astra.plan.RetryPolicy;
import astra.worker.WorkerOptions;
import astra.worker.slurm.SlurmKeys;
import astra.worker.slurm.SlurmOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Config mistakes that only the command line can see, because they need the task families on
 * the classpath: a section that names no family, a key that is not a parameter of the task, and a
 * key of a private parameter, which only code sets. Warnings, not errors, as for any key that is
 * not read: a config file is shared by every run and may have been written for another version of
 * the task classes.
 */
final class ConfigChecks {

    /** Per-family sections, by prefix, and the keys each may hold. */
    private static final Map<String, List<String>> FAMILY_SECTIONS = Map.of(
            WorkerOptions.FAMILY_SECTION_PREFIX, List.of("timeout"),
            RetryPolicy.FAMILY_SECTION_PREFIX, List.of("retry_count", "retry_delay"),
            SlurmOptions.FAMILY_SECTION_PREFIX, slurmFamilyKeys());

    private static List<String> slurmFamilyKeys() {
        List<String> keys = new ArrayList<>(List.of(SlurmOptions.USE_SLURM));
        keys.addAll(SlurmOptions.SHAPE_KEYS);
        return List.copyOf(keys);
    }

    /**
     * The keys of sections that modules other than core read themselves (Slurm's): checked in
     * every config the command line loads, and not taken for task families.
     */
    static final List<Key> MODULE_KEYS = SlurmKeys.ALL;

    private ConfigChecks() {}

    static List<String> warnings(Config config, TaskCatalog catalog, TaskSchema schema) {
        List<String> warnings = new ArrayList<>();
        String file = config.source().map(p -> p.getFileName().toString()).orElse("config");
        Set<String> sections = new TreeSet<>(ConfigKeys.knownSections());
        MODULE_KEYS.forEach(k -> sections.add(k.section()));
        catalog.entries().forEach(e -> sections.add(e.family()));
        for (String section : config.sections()) {
            if (ConfigKeys.isProfileSection(section)) {
                continue;
            }
            Optional<Map.Entry<String, List<String>>> perFamily = FAMILY_SECTIONS.entrySet().stream()
                    .filter(e -> section.startsWith(e.getKey())).findFirst();
            if (perFamily.isPresent()) {
                String family = section.substring(perFamily.get().getKey().length());
                if (!sections.contains(family)) {
                    warnings.add(file + ": section [" + section + "] names no task family on the classpath"
                            + didYouMean(family, sections));
                }
                List<String> allowed = perFamily.get().getValue();
                for (String key : config.section(section).keySet()) {
                    if (!allowed.contains(key)) {
                        warnings.add(file + " [" + section + "]: unknown key '" + key + "' (only "
                                + (allowed.size() == 1 ? allowed.get(0) : String.join(", ", allowed.subList(0, allowed.size() - 1))
                                        + " and " + allowed.get(allowed.size() - 1)) + " " + (allowed.size() == 1 ? "is" : "are")
                                + " read here)");
                    }
                }
            } else if (!sections.contains(section)) {
                warnings.add(file + ": section [" + section + "] names no task family on the classpath"
                        + didYouMean(section, sections));
            }
        }
        // Every family's section holds its parameters' defaults: the root's, and those of any
        // other family on the classpath that the config gives a section.
        Set<String> checked = new TreeSet<>();
        checkParameters(config, schema, file, warnings);
        checked.add(schema.family());
        for (TaskCatalog.Entry entry : catalog.entries()) {
            if (checked.add(entry.family()) && config.sections().contains(entry.family())) {
                TaskSchema other;
                try {
                    other = TaskSchema.of(catalog.resolve(entry.className()));
                } catch (RuntimeException | LinkageError unreadable) {
                    continue;  // astra list reports a class it cannot read
                }
                checkParameters(config, other, file, warnings);
            }
        }
        return warnings;
    }

    /** A key of the family's section that is not one of its public parameters. */
    private static void checkParameters(Config config, TaskSchema schema, String file, List<String> warnings) {
        List<String> keys = schema.params().stream()
                .filter(p -> p.visibility() != Visibility.PRIVATE).map(ParamSpec::configKey).toList();
        for (String key : config.section(schema.family()).keySet()) {
            ParamSpec named = schema.params().stream().filter(p -> p.configKey().equals(key)).findFirst().orElse(null);
            if (named != null && named.visibility() == Visibility.PRIVATE) {
                warnings.add(file + " [" + schema.family() + "]: '" + key + "' is a private parameter of "
                        + schema.family() + ", which only code sets; the value is ignored");
            } else if (!keys.contains(key)) {
                warnings.add(file + " [" + schema.family() + "]: '" + key + "' is not a parameter of "
                        + schema.family() + didYouMean(key, keys));
            }
        }
    }

    private static String didYouMean(String input, Collection<String> candidates) {
        List<String> close = Suggestions.closest(input, candidates, 3);
        return close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)";
    }
}
