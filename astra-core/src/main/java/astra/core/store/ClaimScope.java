package astra.core.store;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Which task families a worker claims: every family, only some (the workers of a Slurm job group
 * started with a GPU for them), or every family but some (the local workers of a run whose other
 * families run on Slurm). At most one of the two sets is non-empty.
 *
 * @param only the families claimed; empty for no such limit
 * @param except the families never claimed
 */
public record ClaimScope(Set<String> only, Set<String> except) {

    /** Every family. */
    public static final ClaimScope ALL = new ClaimScope(Set.of(), Set.of());

    public ClaimScope {
        only = Set.copyOf(new TreeSet<>(only));
        except = Set.copyOf(new TreeSet<>(except));
        if (!only.isEmpty() && !except.isEmpty()) {
            throw new IllegalArgumentException("a claim scope has either families it claims or families it skips,"
                    + " not both: " + only + ", " + except);
        }
    }

    /** Only these families (every family when none is given). */
    public static ClaimScope only(Collection<String> families) {
        return new ClaimScope(Set.copyOf(families), Set.of());
    }

    /** Every family but these. */
    public static ClaimScope except(Collection<String> families) {
        return new ClaimScope(Set.of(), Set.copyOf(families));
    }

    /** Whether this scope claims every family. */
    public boolean claimsEveryFamily() {
        return only.isEmpty() && except.isEmpty();
    }

    /** Whether a task of this family is claimed. */
    public boolean includes(String family) {
        return only.isEmpty() ? !except.contains(family) : only.contains(family);
    }

    /** "every family", "only A, B" or "every family but A, B": for messages. */
    public String describe() {
        return claimsEveryFamily() ? "every family" : only.isEmpty() ? "every family but " + String.join(", ", new TreeSet<>(except))
                : "only " + String.join(", ", new TreeSet<>(only));
    }

    /** The families a query may take, as a condition on {@code family}. */
    Condition on(Field<String> family) {
        return claimsEveryFamily() ? DSL.noCondition() : only.isEmpty() ? family.notIn(except) : family.in(only);
    }
}
