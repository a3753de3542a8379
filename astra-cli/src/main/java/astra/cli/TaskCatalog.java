package astra.cli;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.TaskName;
import astra.core.internal.Suggestions;
import io.github.classgraph.AnnotationInfo;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The task classes on the classpath, found by scanning it once, and looked up by family, simple
 * class name or qualified class name.
 */
final class TaskCatalog {

    /** Libraries Astra ships with: they hold no tasks, and skipping them makes the scan faster. */
    private static final String[] LIBRARIES = {
        "org.jooq", "com.fasterxml", "org.postgresql", "org.sqlite", "org.flywaydb", "com.zaxxer",
        "picocli", "io.github.classgraph", "nonapi.io.github.classgraph", "ch.qos.logback", "org.slf4j",
        "org.testcontainers", "org.junit", "org.assertj", "net.bytebuddy", "org.apiguardian", "org.opentest4j",
        "io.r2dbc", "org.reactivestreams", "com.github.dockerjava", "org.apache", "shaded", "com.google",
    };

    /** A task class as the scan saw it, without loading it. */
    record Entry(String family, String className, String simpleName) {}

    private final ClassLoader loader;
    private final List<Entry> entries;

    private TaskCatalog(ClassLoader loader, List<Entry> entries) {
        this.loader = loader;
        this.entries = List.copyOf(entries);
    }

    static TaskCatalog scan(ClassLoader loader) {
        List<Entry> entries = new ArrayList<>();
        try (ScanResult scan = new ClassGraph()
                .enableClassInfo()
                .enableAnnotationInfo()
                .addClassLoader(loader)
                .rejectPackages(LIBRARIES)
                .scan()) {
            for (ClassInfo info : scan.getClassesImplementing(Task.class.getName())) {
                if (info.isAbstract() || info.isInterface() || info.isAnonymousInnerClass() || !info.isPublic()) {
                    continue;
                }
                AnnotationInfo named = info.getAnnotationInfo(TaskName.class.getName());
                String family = named != null ? (String) named.getParameterValues().getValue("value") : info.getSimpleName();
                entries.add(new Entry(family, info.getName(), info.getSimpleName()));
            }
        }
        entries.sort((a, b) -> a.className().compareTo(b.className()));
        return new TaskCatalog(loader, entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** The task class a user named: by family, simple name, or qualified name. */
    Class<? extends Task> resolve(String name) {
        Set<Entry> matches = new LinkedHashSet<>();
        for (Entry e : entries) {
            if (e.className().equals(name)) {
                return load(e.className());
            }
            if (e.family().equals(name) || e.simpleName().equals(name)) {
                matches.add(e);
            }
        }
        if (matches.size() == 1) {
            return load(matches.iterator().next().className());
        }
        if (matches.size() > 1) {
            StringBuilder message = new StringBuilder("task name '" + name + "' is ambiguous; use one of:");
            matches.forEach(e -> message.append("\n  ").append(e.className()));
            throw new AstraException.BadInput(message.toString());
        }
        if (name.contains(".")) {
            return loadQualified(name);
        }
        throw new AstraException.BadInput(unknown(name));
    }

    private String unknown(String name) {
        Map<String, String> byName = new TreeMap<>();
        entries.forEach(e -> byName.put(e.family(), e.className()));
        List<String> close = Suggestions.closest(name, byName.keySet(), 5);
        if (!close.isEmpty()) {
            return "unknown task '" + name + "'; did you mean: " + String.join(", ", close) + "?";
        }
        if (entries.isEmpty()) {
            return "unknown task '" + name + "': no task classes are on the classpath; add your jar or classes"
                    + " directory with --cp or $ASTRA_CLASSPATH";
        }
        return "unknown task '" + name + "'; known tasks: " + String.join(", ", byName.keySet());
    }

    /** A qualified name the scan did not see (a package it skips): load it directly. */
    private Class<? extends Task> loadQualified(String name) {
        try {
            Class<?> type = Class.forName(name, false, loader);
            if (!Task.class.isAssignableFrom(type)) {
                throw new AstraException.BadInput(name + " is not a task: it does not implement astra.core.Task");
            }
            return load(name);
        } catch (ClassNotFoundException e) {
            throw new AstraException.BadInput(unknown(name));
        }
    }

    @SuppressWarnings("unchecked")
    private Class<? extends Task> load(String className) {
        try {
            return (Class<? extends Task>) Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AstraException.BadInput("task class " + className + " cannot be loaded: " + e);
        }
    }
}
