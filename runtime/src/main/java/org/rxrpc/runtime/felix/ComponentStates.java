package org.rxrpc.runtime.felix;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The Declarative Services runtime's view of components (ServiceComponentRuntime DTOs), read through
 * the API the SCR bundle loaded: it is not on the launcher's classpath.
 */
final class ComponentStates {
    static final String SERVICE = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    // ComponentConfigurationDTO states
    static final int UNSATISFIED_CONFIGURATION = 1;
    static final int UNSATISFIED_REFERENCE = 2;
    /** Satisfied, not (yet) active: an immediate component in this state is being activated. */
    static final int SATISFIED = 4;

    static final int ACTIVE = 8;
    static final int FAILED_ACTIVATION = 16;

    /** One component configuration. */
    record Component(Bundle bundle, String name, boolean immediate, int state, String failure) {
        String stateName() {
            return switch (state) {
                case UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
                case UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
                case SATISFIED -> "SATISFIED";
                case ACTIVE -> "ACTIVE";
                case FAILED_ACTIVATION -> "FAILED_ACTIVATION";
                default -> String.valueOf(state);
            };
        }
    }

    private ComponentStates() {}

    /**
     * The component configurations of {@code bundles} (all bundles if none given); empty if SCR is not
     * running. A component without a configuration (disabled, or waiting for a required one) is listed
     * with the state of its description: 0.
     */
    static List<Component> of(BundleContext context, Bundle... bundles) {
        List<Component> out = new ArrayList<>();
        ServiceReference<?> ref;
        try {
            ref = Services.first(context, SERVICE);
        } catch (IllegalStateException e) { // the framework is stopping
            return out;
        }
        if (ref == null) return out;
        Object scr = context.getService(ref);
        if (scr == null) return out;
        try {
            Bundle scrBundle = ref.getBundle();
            if (scrBundle == null) return out;
            Class<?> scrType = scrBundle.loadClass(SERVICE);
            Class<?> descriptionType =
                    scrBundle.loadClass("org.osgi.service.component.runtime.dto.ComponentDescriptionDTO");
            Method descriptions = scrType.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            Method configurations = scrType.getMethod("getComponentConfigurationDTOs", descriptionType);
            for (Object d : (Collection<?>) descriptions.invoke(scr, (Object) bundles)) {
                String name = (String) descriptionType.getField("name").get(d);
                boolean immediate = descriptionType.getField("immediate").getBoolean(d);
                Object bundleDto = descriptionType.getField("bundle").get(d);
                long bundleId = bundleDto.getClass().getField("id").getLong(bundleDto);
                Bundle bundle = context.getBundle(bundleId);
                Collection<?> configs = (Collection<?>) configurations.invoke(scr, d);
                if (configs.isEmpty()) out.add(new Component(bundle, name, immediate, 0, null));
                for (Object c : configs) {
                    int state = c.getClass().getField("state").getInt(c);
                    String failure = null;
                    try {
                        failure = (String) c.getClass().getField("failure").get(c);
                    } catch (NoSuchFieldException e) {
                        // DS before 1.5
                    }
                    out.add(new Component(bundle, name, immediate, state, failure));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // SCR went away meanwhile: report what was read
        } finally {
            try {
                context.ungetService(ref);
            } catch (IllegalStateException e) {
                // the framework is stopping
            }
        }
        return out;
    }

    /** True when no immediate component of the bundles is being activated (satisfied, not yet active). */
    static boolean settled(BundleContext context, Bundle... bundles) {
        for (Component c : of(context, bundles)) if (c.immediate() && c.state() == SATISFIED) return false;
        return true;
    }
}
