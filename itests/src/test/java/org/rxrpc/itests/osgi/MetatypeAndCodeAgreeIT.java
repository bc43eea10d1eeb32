package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Test;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The metatype the bundles carry (what Karaf's and Felix's configuration tools show) and the code that
 * checks the values agree: every range of the transport's settings is the one {@link EndpointOptions}
 * enforces (its ends accepted, one past them refused), and every service's whiteboard keys have the
 * serving support's ranges. Read from the built bundles (target/osgi-bundles); a plain test, no framework.
 */
public class MetatypeAndCodeAgreeIT {
    private static final String DIR = System.getProperty("rxrpc.itests.bundles", "target/osgi-bundles");

    private record Ad(String id, String type, String min, String max, String dflt, List<String> options) {}

    private static List<Ad> metatype(String jar) throws Exception {
        List<Ad> out = new ArrayList<>();
        try (ZipFile zip = new ZipFile(new File(DIR, jar))) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!entry.getName().startsWith("OSGI-INF/metatype/")
                        || !entry.getName().endsWith(".xml")) continue;
                try (InputStream in = zip.getInputStream(entry)) {
                    Document d = DocumentBuilderFactory.newInstance()
                            .newDocumentBuilder()
                            .parse(in);
                    NodeList ads = d.getElementsByTagName("AD");
                    for (int i = 0; i < ads.getLength(); i++) {
                        Element a = (Element) ads.item(i);
                        List<String> options = new ArrayList<>();
                        NodeList os = a.getElementsByTagName("Option");
                        for (int k = 0; k < os.getLength(); k++)
                            options.add(((Element) os.item(k)).getAttribute("value"));
                        out.add(new Ad(
                                a.getAttribute("id"),
                                a.getAttribute("type"),
                                a.hasAttribute("min") ? a.getAttribute("min") : null,
                                a.hasAttribute("max") ? a.getAttribute("max") : null,
                                a.getAttribute("default"),
                                options));
                    }
                }
            }
        }
        assertFalse("no metatype in " + jar, out.isEmpty());
        return out;
    }

    @Test
    public void theTransportsMetatypeRangesAreTheOnesEndpointOptionsEnforces() throws Exception {
        int checked = 0;
        for (Ad ad : metatype("rxrpc-transport.jar")) {
            if (ad.id().equals("defaultBacklog")) {
                assertEquals("1", ad.min());
                assertEquals(Integer.toString(RxEndpoint.MAX_BACKLOG), ad.max());
                continue;
            }
            if (ad.id().equals("debugAnswers")) {
                List<String> names = new ArrayList<>();
                for (EndpointOptions.DebugAnswers a : EndpointOptions.DebugAnswers.values()) names.add(a.name());
                assertEquals("debugAnswers' options are the code's", names, ad.options());
                assertEquals(EndpointOptions.defaults().debugAnswers().name(), ad.dflt());
                continue;
            }
            if (ad.type().equals("Boolean") || ad.type().equals("String")) continue;
            Method set = setter(ad);
            long dflt = Long.parseLong(ad.dflt());
            assertTrue(ad.id() + " default " + dflt, accepts(set, dflt));
            if (ad.min() != null) {
                long min = Long.parseLong(ad.min());
                assertTrue(ad.id() + " takes its min " + min, accepts(set, min));
                assertFalse(ad.id() + " refuses min - 1", accepts(set, min - 1));
            }
            if (ad.max() != null) {
                long max = Long.parseLong(ad.max());
                assertTrue(ad.id() + " takes its max " + max, accepts(set, max));
                assertFalse(ad.id() + " refuses max + 1", accepts(set, max + 1));
            } else {
                long top = set.getParameterTypes()[0] == int.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
                assertTrue(ad.id() + " has no max in the metatype, so the code must take " + top, accepts(set, top));
            }
            checked++;
        }
        assertTrue("settings checked: " + checked, checked >= 10);
    }

    @Test
    public void everyServicesWhiteboardKeysHaveTheServingSupportsRanges() throws Exception {
        for (String jar : List.of("rxperf-service.jar", "cm-service.jar", "vl-sample.jar")) {
            for (Ad ad : metatype(jar)) {
                switch (ad.id()) {
                    case "rxrpc.port" -> assertRange(jar, ad, "0", "65535");
                    case "rxrpc.backlog" -> assertRange(jar, ad, "1", Integer.toString(RxEndpoint.MAX_BACKLOG));
                    case "rxrpc.maxLiveCalls" -> assertRange(jar, ad, "1", "65536");
                    default -> {}
                }
            }
        }
    }

    private static void assertRange(String jar, Ad ad, String min, String max) {
        assertEquals(jar + " " + ad.id() + " min", min, ad.min());
        assertEquals(jar + " " + ad.id() + " max", max, ad.max());
    }

    private static Method setter(Ad ad) {
        for (Method m : EndpointOptions.Builder.class.getMethods()) {
            if (m.getName().equals(ad.id()) && m.getParameterCount() == 1) return m;
        }
        fail("EndpointOptions.Builder has no " + ad.id());
        return null;
    }

    private static boolean accepts(Method set, long value) throws Exception {
        EndpointOptions.Builder b = EndpointOptions.builder();
        Class<?> type = set.getParameterTypes()[0];
        if (type == int.class) {
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) return false;
            set.invoke(b, (int) value);
        } else {
            set.invoke(b, value);
        }
        try {
            assertNotNull(b.build());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
