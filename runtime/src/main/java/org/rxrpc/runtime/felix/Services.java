package org.rxrpc.runtime.felix;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Service lookups from the system bundle. They ignore class compatibility: the launcher's class loader
 * has its own copy of {@code org.rxrpc.api} (for the {@code serve} and {@code rxperf} commands), and the
 * framework would otherwise hide the bundles' services from it. The services are used by reflection,
 * through the classes of the bundle that registered them.
 */
final class Services {
    private Services() {}

    /** A service of that class, or null. */
    static ServiceReference<?> first(BundleContext context, String className) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(className, null);
            return refs == null ? null : refs[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
