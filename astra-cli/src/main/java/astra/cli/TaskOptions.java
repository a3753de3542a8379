package astra.cli;

import astra.core.AstraException;
import astra.core.Visibility;
import astra.core.internal.Suggestions;
import astra.core.params.ParamSpec;
import astra.core.params.TaskSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * A task's parameters as options of {@code astra run <Task>} (or another command that takes a
 * task line, such as {@code astra deps}): one {@code --kebab-case} option per
 * parameter, parsed as strings (the parameter's own type parses them, with its own messages),
 * and shown with types, defaults and descriptions by {@code astra run <Task> --help}. A hidden
 * parameter is an option that help leaves out; a private one is no option at all, and giving it
 * is an error that says it is private.
 */
final class TaskOptions {

    private final TaskSchema schema;
    /** The task's parameters only: parsing resets every option it holds, so run's own stay out. */
    private final CommandSpec spec;
    /** The parameters and the command's options, for --help. */
    private final CommandSpec help;
    /** The command these options belong to, e.g. "astra run". */
    private final String command;

    /**
     * @param command the command, e.g. "astra run"
     * @param description what the command does with the task, for --help
     * @param runOptions the command's own options, shown in the task's help too; a parameter with
     *     the same name as one of them is an error, since the command line could not tell them apart
     * @param configured the family's section of the config, to show where a default comes from
     */
    TaskOptions(TaskSchema schema, String command, String description, List<OptionSpec> runOptions,
            Map<String, String> configured) {
        this.schema = schema;
        this.command = command;
        this.spec = CommandSpec.create().name(command + " " + schema.family());
        this.help = CommandSpec.create().name(command + " " + schema.family());
        help.usageMessage()
                .description(description)
                .footer("", "Parameter values come from the command line, then the [" + schema.family()
                        + "] section of the config file (keys in snake_case), then the defaults shown.");
        for (ParamSpec p : schema.params()) {
            if (p.visibility() == Visibility.PRIVATE) {
                continue;
            }
            String name = "--" + p.optionName();
            if (runOptions.stream().anyMatch(o -> List.of(o.names()).contains(name))) {
                throw new AstraException.BadInput("parameter " + p.name() + " of " + schema.family()
                        + " would be the option " + name + ", which " + command + " uses itself: rename the parameter");
            }
            OptionSpec.Builder option = OptionSpec.builder(name)
                    .type(String.class)
                    .paramLabel("<" + p.typeName() + ">")
                    .description(describe(p, configured));
            if (p.typeName().equals("boolean")) {
                option.arity("0..1").fallbackValue("true");
            }
            spec.addOption(option.build());
            if (p.visibility() == Visibility.PUBLIC) {
                help.addOption(option.build());
            }
        }
        runOptions.forEach(o -> help.addOption(OptionSpec.builder(o).build()));
    }

    private static String describe(ParamSpec p, Map<String, String> configured) {
        StringBuilder text = new StringBuilder(p.description().isBlank() ? "" : p.description() + " ");
        String fromConfig = configured.get(p.configKey());
        if (fromConfig != null) {
            text.append("(config: ").append(fromConfig).append(')');
        } else if (p.defaultValue().isPresent()) {
            text.append("(default: ").append(p.defaultValue().get()).append(')');
        } else {
            text.append("(required)");
        }
        if (!p.significant()) {
            text.append(" (does not change the task id)");
        }
        return text.toString().strip();
    }

    /** The values given on the command line, keyed by option name without dashes. */
    Map<String, String> parse(List<String> args) {
        CommandLine.ParseResult parsed;
        try {
            parsed = new CommandLine(spec).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            throw new AstraException.BadInput(unmatched(e.getUnmatched()));
        } catch (CommandLine.ParameterException e) {
            throw new AstraException.BadInput(e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (ParamSpec p : schema.params()) {
            if (p.visibility() == Visibility.PRIVATE) {
                continue;
            }
            String value = parsed.matchedOptionValue("--" + p.optionName(), null);
            if (value != null) {
                values.put(p.optionName(), value);
            }
        }
        return values;
    }

    private String unmatched(List<String> unmatched) {
        String first = unmatched.get(0);
        if (!first.startsWith("-")) {
            return "unexpected argument '" + first + "' for " + schema.family()
                    + ": parameters are given as --name value (see " + command + " " + schema.family() + " --help)";
        }
        String option = first.replaceFirst("^-+", "").replaceFirst("=.*", "");
        ParamSpec named = schema.params().stream().filter(p -> p.optionName().equals(option)).findFirst().orElse(null);
        if (named != null && named.visibility() == Visibility.PRIVATE) {
            return schema.privateOption(named).getMessage();
        }
        List<String> names = optionNames(Visibility.PUBLIC);
        List<String> close = Suggestions.closest(option, optionNames(Visibility.HIDDEN), 3);
        String known = !names.isEmpty() ? "its parameters are --" + String.join(", --", names)
                : schema.params().isEmpty() ? "it has no parameters" : "it has no public parameters";
        return "unknown parameter --" + option + " for " + schema.family() + "; "
                + (close.isEmpty() ? known : "did you mean --" + String.join(", --", close) + "?");
    }

    /** The option names of the parameters at most as hidden as {@code upTo} (PUBLIC before HIDDEN). */
    private List<String> optionNames(Visibility upTo) {
        return schema.params().stream()
                .filter(p -> p.visibility().compareTo(upTo) <= 0)
                .map(ParamSpec::optionName)
                .toList();
    }

    String usage() {
        return new CommandLine(help).getUsageMessage();
    }
}
