package astra.cli;

import astra.core.AstraException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "new",
        mixinStandardHelpOptions = true,
        description = "Writes a starter Maven project for a pipeline: one task, a utah.cfg, a test with Astra's "
                + "test kit, and a README with the commands that build, run and test it.",
        footer = {"", "Example:",
                "  astra new my-pipeline       writes ./my-pipeline (package my_pipeline)",
                "  cd my-pipeline && mvn -q package",
                "  astra --cp target/my-pipeline.jar run Hello --name world",
                "", "It depends on io.astra:astra-core and astra-test at this Astra's version:",
                "'mvn install -DskipTests' in the Astra checkout puts them in your local",
                "Maven repository first."})
final class NewCommand implements Callable<Integer> {

    /** A Maven artifactId as people write them: lower case, digits, single hyphens between words. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Java's keywords and literals, which cannot be a package name. */
    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits");

    /** Each template under {@code astra/cli/new/} and where it goes in the project. */
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("pom.xml.template", "pom.xml");
        FILES.put("README.md.template", "README.md");
        FILES.put("utah.cfg.template", "utah.cfg");
        FILES.put("gitignore.template", ".gitignore");
        FILES.put("Hello.java.template", "src/main/java/{{packagePath}}/Hello.java");
        FILES.put("HelloTest.java.template", "src/test/java/{{packagePath}}/HelloTest.java");
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The project's name and Maven artifactId (my-pipeline); "
            + "its package is the name with _ for - (my_pipeline).")
    String name;

    @Option(names = "--in", paramLabel = "DIR", description = "Where to write the project's directory (default: here).")
    Path parent = Path.of("");

    @Override
    public Integer call() {
        String pkg = packageOf(name);
        Path project = parent.resolve(name);
        refuseExisting(project);
        Map<String, String> values = values(pkg);
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            write(project.resolve(render(file.getValue(), values)), render(template(file.getKey()), values));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Wrote " + project + ": task " + pkg + ".Hello, its test, utah.cfg and a README.");
        out.println("Next (after `mvn install -DskipTests` in the Astra checkout, once):");
        out.println("  cd " + project);
        out.println("  mvn -q package && astra --cp target/" + name + ".jar run Hello --name world");
        out.println("  mvn test");
        return ExitCodes.OK;
    }

    /** The package for a project name, or one clear refusal. */
    static String packageOf(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new AstraException.BadInput("astra new: '" + name + "' is not a project name: use lower-case "
                    + "letters, digits and single hyphens, starting with a letter (e.g. my-pipeline); it becomes "
                    + "the Maven artifactId and, with _ for -, the Java package");
        }
        String pkg = name.replace('-', '_');
        if (RESERVED.contains(pkg)) {
            throw new AstraException.BadInput("astra new: '" + name + "' cannot be a Java package name (it is a "
                    + "Java keyword); choose another, e.g. " + name + "-pipeline");
        }
        return pkg;
    }

    private static void refuseExisting(Path project) {
        if (Files.isDirectory(project)) {
            try (Stream<Path> entries = Files.list(project)) {
                if (entries.findAny().isPresent()) {
                    throw new AstraException.BadInput("astra new: " + project + " exists and is not empty; "
                            + "choose another name, or --in another directory");
                }
            } catch (IOException e) {
                throw new AstraException.BadInput("astra new: cannot read " + project + ": " + e.getMessage());
            }
        } else if (Files.exists(project)) {
            throw new AstraException.BadInput("astra new: " + project + " exists and is not a directory");
        }
    }

    private Map<String, String> values(String pkg) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("package", pkg);
        values.put("packagePath", pkg.replace('.', '/'));
        values.put("astraVersion", BuildInfo.get("astra.version"));
        values.put("junitVersion", BuildInfo.get("junit.version"));
        values.put("compilerPluginVersion", BuildInfo.get("compiler-plugin.version"));
        values.put("surefirePluginVersion", BuildInfo.get("surefire-plugin.version"));
        values.put("jarPluginVersion", BuildInfo.get("jar-plugin.version"));
        values.put("resourcesPluginVersion", BuildInfo.get("resources-plugin.version"));
        return values;
    }

    static String render(String template, Map<String, String> values) {
        String text = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        if (text.contains("{{")) {
            throw new IllegalStateException("a template of astra new names an unknown value: "
                    + text.substring(text.indexOf("{{"), Math.min(text.length(), text.indexOf("{{") + 40)));
        }
        return text;
    }

    private static String template(String file) {
        try (InputStream in = resource("astra/cli/new/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = NewCommand.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("astra-cli is missing its resource " + path);
        }
        return in;
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new AstraException.BadInput("astra new: cannot write " + file + ": " + e.getMessage());
        }
    }
}
