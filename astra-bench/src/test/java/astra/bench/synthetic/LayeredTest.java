package astra.bench.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.Tasks;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayeredTest {

    /** Every task reachable from the root, by id, with how many distinct requirements it has. */
    private static Map<String, Integer> walk(Task root) {
        Map<String, Integer> seen = new HashMap<>();
        Deque<Task> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Task t = todo.pop();
            if (seen.containsKey(Tasks.id(t))) {
                continue;
            }
            seen.put(Tasks.id(t), (int) t.requires().stream().map(Tasks::id).distinct().count());
            todo.addAll(t.requires());
        }
        return seen;
    }

    @Test
    void layersOfWidthTasksEachNeedingTwoOfTheLayerBelow() {
        Map<String, Integer> graph = walk(new Layered(4, 5));

        assertThat(graph).hasSize(4 * 5 + 1);
        assertThat(graph.get(Tasks.id(new Layered(4, 5)))).isEqualTo(5);
        assertThat(graph.entrySet()).filteredOn(e -> e.getKey().startsWith("LayerTask"))
                .extracting(Map.Entry::getValue)
                .containsOnly(0, 2)
                .filteredOn(n -> n == 0).hasSize(5);
    }

    @Test
    void aLayerOfOneTaskNeedsTheOneBelowOnce() {
        assertThat(walk(new Layered(3, 1))).hasSize(4).containsValue(1);
    }

    @Test
    void noLayersOrNoWidthIsBadInput() {
        assertThatThrownBy(() -> new Layered(0, 5)).isInstanceOf(AstraException.BadInput.class)
                .hasMessageContaining("--layers and --width must be at least 1");
        assertThatThrownBy(() -> new Layered(3, 0)).isInstanceOf(AstraException.BadInput.class);
    }
}
