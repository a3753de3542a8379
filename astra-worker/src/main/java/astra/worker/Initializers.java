package astra.worker;

import astra.core.AstraException;
import astra.core.ProcessInitializer;

/** Finds the user's initializers by class name, as {@code [worker] initializers} lists them. */
public final class Initializers {

    private Initializers() {}

    public static ProcessInitializer instantiate(String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className.strip(), true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AstraException.BadConfig("[worker] initializers: class " + className.strip()
                    + " is not on the classpath (use --cp or $ASTRA_CLASSPATH)");
        }
        if (!ProcessInitializer.class.isAssignableFrom(type)) {
            throw new AstraException.BadConfig("[worker] initializers: " + type.getName()
                    + " does not implement astra.core.ProcessInitializer");
        }
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return (ProcessInitializer) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new AstraException.BadConfig("[worker] initializers: " + type.getName()
                    + " needs a constructor without arguments");
        } catch (ReflectiveOperationException e) {
            throw new AstraException.BadConfig("[worker] initializers: cannot create " + type.getName() + ": "
                    + (e.getCause() == null ? e : e.getCause()));
        }
    }
}
