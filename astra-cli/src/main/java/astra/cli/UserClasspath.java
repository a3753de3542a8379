package astra.cli;

import astra.core.AstraException;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's task classes: jars and directories from {@code $ASTRA_CLASSPATH} and {@code --cp},
 * as a class loader for this process and as paths for worker processes.
 */
record UserClasspath(ClassLoader loader, List<String> entries) {

    /**
     * The entries (separated by the platform's path separator; {@code dir/*} means every jar in
     * dir), on a loader whose parent is Astra's own. Without entries, Astra's own loader.
     */
    static UserClasspath of(String fromEnvironment, String fromOption) {
        List<URL> urls = new ArrayList<>();
        addEntries(urls, fromEnvironment, "$ASTRA_CLASSPATH");
        addEntries(urls, fromOption, "--cp");
        ClassLoader parent = UserClasspath.class.getClassLoader();
        ClassLoader loader = urls.isEmpty() ? parent : new URLClassLoader("astra-user", urls.toArray(URL[]::new), parent);
        List<String> entries = new ArrayList<>();
        for (URL url : urls) {
            try {
                entries.add(Path.of(url.toURI()).toString());
            } catch (URISyntaxException e) {
                throw new AstraException.BadInput("not a usable classpath entry: " + url);
            }
        }
        return new UserClasspath(loader, List.copyOf(entries));
    }

    private static void addEntries(List<URL> urls, String classpath, String source) {
        if (classpath == null || classpath.isBlank()) {
            return;
        }
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (entry.endsWith("/*") || entry.equals("*")) {
                Path dir = Path.of(entry.length() == 1 ? "." : entry.substring(0, entry.length() - 2));
                requireExists(dir, entry, source);
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
                    for (Path jar : jars) {
                        urls.add(url(jar));
                    }
                } catch (IOException e) {
                    throw new AstraException.BadInput(source + " entry '" + entry + "' cannot be listed: " + e.getMessage());
                }
            } else {
                Path path = Path.of(entry);
                requireExists(path, entry, source);
                urls.add(url(path));
            }
        }
    }

    private static void requireExists(Path path, String entry, String source) {
        if (!Files.exists(path)) {
            throw new AstraException.BadInput(source + " entry '" + entry + "' does not exist");
        }
    }

    private static URL url(Path path) {
        try {
            return path.toAbsolutePath().normalize().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new AstraException.BadInput("not a usable classpath entry: " + path);
        }
    }
}
