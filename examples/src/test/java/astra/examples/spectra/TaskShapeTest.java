package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Param;
import astra.core.Task;
import astra.core.WrapperTask;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example promises to show both kinds of task; these pin the shapes Astra reads. */
class TaskShapeTest {

    private static List<String> paramFields(Class<?> type) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        List<String> names = new ArrayList<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                Param p = f.getAnnotation(Param.class);
                if (p != null) {
                    assertThat(p.description()).as(f.toString()).isNotBlank();
                    assertThat(Modifier.isFinal(f.getModifiers())).as(f + " must be settable").isFalse();
                    names.add(f.getName());
                }
            }
        }
        return names;
    }

    @Test
    void classTasksInheritReleaseAndOutputDirFromTheirBase() throws Exception {
        for (Class<? extends Task> type : List.of(SyntheticSpectrum.class, EstimateLabels.class)) {
            assertThat(paramFields(type)).as(type.getSimpleName()).containsExactly("release", "outputDir", "field", "starId", "pipelineVersion");
            assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
        }
    }

    @Test
    void recordTasksDescribeEveryComponent() {
        for (Class<?> type : List.of(ContinuumNormalize.class, SummarizeField.class, ProcessField.class)) {
            assertThat(type.isRecord()).isTrue();
            for (RecordComponent c : type.getRecordComponents()) {
                assertThat(c.getAnnotation(Param.class)).as(type.getSimpleName() + "." + c.getName()).isNotNull();
            }
        }
        assertThat(WrapperTask.class).isAssignableFrom(ProcessField.class);
    }

    @Test
    void onlyReleaseAndFieldLackADefaultOnTheRootTask() {
        List<String> required = new ArrayList<>();
        for (RecordComponent c : ProcessField.class.getRecordComponents()) {
            if (c.getAnnotation(Param.class).defaultValue().equals(Param.NO_DEFAULT)) {
                required.add(c.getName());
            }
        }
        assertThat(required).containsExactly("release", "field");
    }
}
