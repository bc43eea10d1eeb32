package org.rxrpc.transport.osgi;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.security.SecurityLevels;

/**
 * The security properties of a service on the whiteboard, checked: {@code rxrpc.securityIndex} (a number, an
 * array or collection of numbers, or text such as "0,2") and {@code rxrpc.minimumLevel} (clear, auth, crypt
 * or 0..2). A bad value is refused with its name and value.
 */
final class SecurityProperties {
    private SecurityProperties() {}

    /** The accepted indexes (0..255, each once); {0} when the property is absent. */
    static int[] indexes(Object v) {
        if (v == null) return new int[] {0};
        List<Object> items = new ArrayList<>();
        if (v instanceof Collection<?> c) items.addAll(c);
        else if (v.getClass().isArray()) for (int i = 0; i < Array.getLength(v); i++) items.add(Array.get(v, i));
        else for (String part : v.toString().split("[,\\s]+")) if (!part.isEmpty()) items.add(part);
        if (items.isEmpty()) throw bad(RxEndpoints.SECURITY_INDEX, v, "names no security index");
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            Object item = items.get(i);
            long n;
            try {
                n = item instanceof Number num
                        ? num.longValue()
                        : Long.parseLong(item.toString().trim());
            } catch (NumberFormatException e) {
                throw bad(RxEndpoints.SECURITY_INDEX, v, "is not a list of numbers (0..255)");
            }
            if (n < 0 || n > 255) throw bad(RxEndpoints.SECURITY_INDEX, v, "holds " + n + ", outside 0..255");
            for (int j = 0; j < i; j++) {
                if (out[j] == n) throw bad(RxEndpoints.SECURITY_INDEX, v, "names " + n + " twice");
            }
            out[i] = (int) n;
        }
        return out;
    }

    /** The minimum level; clear when the property is absent. */
    static int minimumLevel(Object v) {
        if (v == null) return SecurityLevels.CLEAR;
        String text = v.toString().trim();
        try {
            int n = v instanceof Number num ? num.intValue() : Integer.parseInt(text);
            if (n >= SecurityLevels.CLEAR && n <= SecurityLevels.CRYPT) return n;
        } catch (NumberFormatException e) {
            try {
                return SecurityLevels.parse(text);
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
        }
        throw bad(RxEndpoints.MINIMUM_LEVEL, v, "is not clear, auth or crypt (0..2)");
    }

    private static IllegalArgumentException bad(String key, Object v, String why) {
        String shown = v.getClass().isArray() ? java.util.Arrays.deepToString(new Object[] {v}) : v.toString();
        return new IllegalArgumentException(key + " = '" + shown + "' " + why);
    }
}
