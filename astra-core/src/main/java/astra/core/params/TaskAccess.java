package astra.core.params;

import astra.core.Param;
import astra.core.Task;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How parameters are found in, read from and written into one task class: a record through its
 * components and canonical constructor, any other class through its {@code @Param} fields and a
 * no-arg constructor.
 */
abstract class TaskAccess {

    /** A parameter as declared: its Java name, generic type and annotation (null on a bare record component). */
    record Member(String name, Type type, Param param) {}

    abstract List<Member> members();

    abstract Object get(Task task, int index);

    /** A new task with these values, in {@link #members()} order. */
    abstract Task create(Object[] values) throws ReflectiveOperationException;

    /** The access for {@code type}; IllegalArgumentException saying what is wrong with the class. */
    static TaskAccess of(Class<? extends Task> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("it is abstract");
        }
        if (type.isSynthetic() || type.isHidden() || type.isAnonymousClass()) {
            throw new IllegalArgumentException("a lambda or anonymous class has no stable name; write a named class");
        }
        return type.isRecord() ? new RecordAccess(type) : new FieldAccess(type);
    }

    private static final class RecordAccess extends TaskAccess {
        private final List<Member> members = new ArrayList<>();
        private final Method[] accessors;
        private final Constructor<?> constructor;

        RecordAccess(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            accessors = new Method[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                members.add(new Member(c.getName(), c.getGenericType(), c.getAnnotation(Param.class)));
                accessors[i] = accessible(c.getAccessor());
                types[i] = c.getType();
            }
            try {
                constructor = accessible(type.getDeclaredConstructor(types));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("a record always has a canonical constructor", e);
            }
        }

        @Override
        List<Member> members() {
            return members;
        }

        @Override
        Object get(Task task, int index) {
            try {
                return accessors[index].invoke(task);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + accessors[index], e);
            }
        }

        @Override
        Task create(Object[] values) throws ReflectiveOperationException {
            return (Task) constructor.newInstance(values);
        }
    }

    private static final class FieldAccess extends TaskAccess {
        private final List<Member> members = new ArrayList<>();
        private final List<Field> fields = new ArrayList<>();
        private final Constructor<?> constructor;

        FieldAccess(Class<?> type) {
            List<Class<?>> hierarchy = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                hierarchy.add(0, c);
            }
            // getDeclaredFields() is in declaration order on every JVM in use; ids only depend on
            // it through the readable prefix, never through the hash.
            for (Class<?> c : hierarchy) {
                Arrays.stream(c.getDeclaredFields()).filter(f -> f.isAnnotationPresent(Param.class)).forEach(this::add);
            }
            try {
                constructor = accessible(type.getDeclaredConstructor());
            } catch (NoSuchMethodException e) {
                boolean inner = type.isMemberClass() && !Modifier.isStatic(type.getModifiers());
                throw new IllegalArgumentException("it has no no-arg constructor"
                        + (inner ? " (an inner class must be static)" : ""));
            }
        }

        private void add(Field f) {
            if (Modifier.isStatic(f.getModifiers())) {
                throw new IllegalArgumentException("@Param field " + f.getName() + " is static");
            }
            fields.add(accessible(f));
            members.add(new Member(f.getName(), f.getGenericType(), f.getAnnotation(Param.class)));
        }

        @Override
        List<Member> members() {
            return members;
        }

        @Override
        Object get(Task task, int index) {
            try {
                return fields.get(index).get(task);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + fields.get(index), e);
            }
        }

        @Override
        Task create(Object[] values) throws ReflectiveOperationException {
            Task task = (Task) constructor.newInstance();
            for (int i = 0; i < values.length; i++) {
                fields.get(i).set(task, values[i]);
            }
            return task;
        }
    }

    private static <T extends AccessibleObject> T accessible(T member) {
        try {
            member.setAccessible(true);
            return member;
        } catch (RuntimeException e) { // InaccessibleObjectException: a module that does not open the package
            throw new IllegalArgumentException("cannot access " + member + ": " + e.getMessage());
        }
    }
}
