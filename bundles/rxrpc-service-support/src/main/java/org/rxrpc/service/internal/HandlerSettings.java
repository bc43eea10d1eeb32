package org.rxrpc.service.internal;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A handler's configuration checked against its bundle's metatype (the {@code OSGI-INF/metatype} XML bnd
 * makes from the component's {@code @ObjectClassDefinition}): every key the metatype declares must hold a
 * value of its type within its min and max, and a key it does not declare is unknown. So the metatype is
 * the one description of a handler's settings, and the code checks what it says. Bundles without a
 * metatype for their PID are checked for the {@code rxrpc.*} keys only ({@link HandlerProperties}).
 */
final class HandlerSettings {
    /** One attribute definition. */
    record Attribute(String id, String type, String min, String max) {}

    private HandlerSettings() {}

    /** The handler's configuration PID: its service.pid, else its component name; null for neither. */
    static String pid(ServiceReference<?> ref) {
        Object pid = ref.getProperty(Constants.SERVICE_PID);
        if (pid instanceof String[] pids && pids.length > 0) return pids[0];
        if (pid != null) return pid.toString();
        Object name = ref.getProperty("component.name");
        return name == null ? null : name.toString();
    }

    /**
     * The bad values and unknown keys of a handler's properties, one phrase each ("verify = 'maybe' must be
     * true or false", "unknown key 'rxrpc.prot'").
     *
     * @param problems filled with the bad values
     * @param unknown filled with the unknown keys
     */
    static void check(ServiceReference<?> ref, List<String> problems, List<String> unknown) {
        Map<String, Attribute> attributes = attributes(ref.getBundle(), pid(ref));
        for (String key : ref.getPropertyKeys()) {
            if (HandlerProperties.KEYS.contains(key)) continue; // checked by HandlerProperties
            Attribute a = attributes.get(key);
            if (a == null) {
                boolean known = frameworkKey(key) || (attributes.isEmpty() && !key.startsWith("rxrpc."));
                if (!known) unknown.add(key);
                continue;
            }
            String problem = problem(a, ref.getProperty(key));
            if (problem != null) problems.add(problem);
        }
    }

    /** What is wrong with a value, or null. */
    static String problem(Attribute a, Object v) {
        String text = v == null ? "" : v.toString().trim();
        String shown = a.id() + " = '" + text + "'";
        switch (a.type()) {
            case "Boolean":
                if (v instanceof Boolean || text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))
                    return null;
                return shown + " must be true or false";
            case "Integer":
            case "Long":
            case "Short":
            case "Byte":
                long n;
                try {
                    n = v instanceof Number ? ((Number) v).longValue() : Long.parseLong(text);
                } catch (NumberFormatException e) {
                    return shown + " is not a whole number" + range(a);
                }
                if ((a.min() != null && n < Long.parseLong(a.min()))
                        || (a.max() != null && n > Long.parseLong(a.max())))
                    return a.id() + " = " + n + " is outside"
                            + range(a).replace(" (", " ").replace(")", "");
                return null;
            default:
                return null;
        }
    }

    private static String range(Attribute a) {
        if (a.min() != null && a.max() != null) return " (" + a.min() + ".." + a.max() + ")";
        if (a.min() != null) return " (at least " + a.min() + ")";
        if (a.max() != null) return " (at most " + a.max() + ")";
        return "";
    }

    /** Keys Config Admin, DS, FileInstall, Karaf or the framework put into every configuration or service. */
    static boolean frameworkKey(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("service.")
                || n.startsWith("component.")
                || n.startsWith("felix.")
                || n.startsWith("osgi.")
                || n.startsWith("org.apache.karaf.")
                || n.startsWith(".")
                || n.equals("objectclass");
    }

    /** The attribute definitions of the metatype the bundle designates for the PID; empty if none. */
    static Map<String, Attribute> attributes(Bundle bundle, String pid) {
        Map<String, Attribute> out = new LinkedHashMap<>();
        if (bundle == null || pid == null) return out;
        Enumeration<URL> files = bundle.findEntries("OSGI-INF/metatype", "*.xml", false);
        if (files == null) return out;
        for (URL url : Collections.list(files)) {
            try (InputStream in = url.openStream()) {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(false);
                f.setExpandEntityReferences(false);
                Document doc = f.newDocumentBuilder().parse(in);
                String ocd = null;
                NodeList designates = doc.getElementsByTagName("Designate");
                for (int i = 0; i < designates.getLength(); i++) {
                    Element d = (Element) designates.item(i);
                    if (!pid.equals(d.getAttribute("pid"))) continue;
                    NodeList objects = d.getElementsByTagName("Object");
                    if (objects.getLength() > 0) ocd = ((Element) objects.item(0)).getAttribute("ocdref");
                }
                if (ocd == null) continue;
                NodeList ocds = doc.getElementsByTagName("OCD");
                for (int i = 0; i < ocds.getLength(); i++) {
                    Element o = (Element) ocds.item(i);
                    if (!ocd.equals(o.getAttribute("id"))) continue;
                    NodeList ads = o.getElementsByTagName("AD");
                    for (int j = 0; j < ads.getLength(); j++) {
                        Element ad = (Element) ads.item(j);
                        out.put(
                                ad.getAttribute("id"),
                                new Attribute(
                                        ad.getAttribute("id"),
                                        ad.getAttribute("type"),
                                        ad.hasAttribute("min") ? ad.getAttribute("min") : null,
                                        ad.hasAttribute("max") ? ad.getAttribute("max") : null));
                    }
                }
            } catch (Exception e) {
                // an unreadable metatype checks nothing
            }
        }
        return out;
    }

    /** The rxrpc.* properties, for comparing two configurations of a handler. */
    static Map<String, Object> whiteboardProperties(ServiceReference<?> ref) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : HandlerProperties.KEYS) {
            Object v = ref.getProperty(key);
            if (v != null) out.put(key, v.toString().trim());
        }
        return out;
    }
}
