package org.rxrpc.runtime.felix;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Config Admin as seen from outside the framework. Its API package lives in the Config Admin bundle, not
 * on the launcher's classpath, so the service is called through the interfaces that bundle loaded.
 */
final class ConfigAdmin {
    static final String SERVICE = "org.osgi.service.cm.ConfigurationAdmin";
    /** The property Felix FileInstall puts into every configuration it made from a file: the file's URL. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private final BundleContext context;
    private final ServiceReference<?> reference;
    private final Object admin;
    private final Method getConfiguration;
    private final Method createFactoryConfiguration;
    private final Method listConfigurations;
    private final Method getProperties;
    private final Method update;

    private ConfigAdmin(BundleContext context, ServiceReference<?> reference) throws ReflectiveOperationException {
        this.context = context;
        this.reference = reference;
        Class<?> adminType = reference.getBundle().loadClass(SERVICE);
        Class<?> configurationType = reference.getBundle().loadClass("org.osgi.service.cm.Configuration");
        getConfiguration = adminType.getMethod("getConfiguration", String.class, String.class);
        createFactoryConfiguration = adminType.getMethod("createFactoryConfiguration", String.class, String.class);
        listConfigurations = adminType.getMethod("listConfigurations", String.class);
        getProperties = configurationType.getMethod("getProperties");
        update = configurationType.getMethod("update", Dictionary.class);
        admin = context.getService(reference);
        if (admin == null) throw new IllegalStateException("Config Admin went away");
    }

    /** The Config Admin service, or null if none is registered. */
    static ConfigAdmin find(BundleContext context) {
        ServiceReference<?> ref = Services.first(context, SERVICE);
        if (ref == null) return null;
        try {
            return new ConfigAdmin(context, ref);
        } catch (ReflectiveOperationException | IllegalStateException e) {
            return null;
        }
    }

    void release() {
        context.ungetService(reference);
    }

    /** The names (not paths) of the files FileInstall has turned into configurations so far. */
    Set<String> fileInstallFiles() throws Exception {
        Object[] configurations = (Object[]) call(listConfigurations, admin, "(" + FILEINSTALL_FILENAME + "=*)");
        Set<String> names = new HashSet<>();
        if (configurations == null) return names;
        for (Object c : configurations) {
            Dictionary<?, ?> props = (Dictionary<?, ?>) call(getProperties, c);
            Object url = props == null ? null : props.get(FILEINSTALL_FILENAME);
            if (url != null) {
                String s = url.toString();
                names.add(s.substring(s.lastIndexOf('/') + 1));
            }
        }
        return names;
    }

    /**
     * Sets {@code values} in the configuration of {@code pid} (created if missing, bound to no bundle so
     * that the bundle with the component gets it), keeping its other properties.
     */
    void update(String pid, Map<String, Object> values) throws Exception {
        Object configuration = call(getConfiguration, admin, pid, "?");
        Dictionary<?, ?> old = (Dictionary<?, ?>) call(getProperties, configuration);
        Hashtable<String, Object> merged = new Hashtable<>();
        if (old != null) {
            for (Enumeration<?> keys = old.keys(); keys.hasMoreElements(); ) {
                Object key = keys.nextElement();
                merged.put(key.toString(), old.get(key));
            }
        }
        merged.putAll(values);
        call(update, configuration, merged);
    }

    /**
     * Creates a new configuration of the factory PID {@code factoryPid} with {@code values}, bound to no
     * bundle (the bundle registering that factory gets it).
     */
    void createFactoryConfiguration(String factoryPid, Map<String, Object> values) throws Exception {
        Object configuration = call(createFactoryConfiguration, admin, factoryPid, "?");
        call(update, configuration, new Hashtable<>(values));
    }

    private static Object call(Method m, Object target, Object... args) throws Exception {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) throw (Exception) cause;
            if (cause instanceof Error) throw (Error) cause;
            throw e;
        }
    }
}
