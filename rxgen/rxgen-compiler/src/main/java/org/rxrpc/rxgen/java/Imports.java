package org.rxrpc.rxgen.java;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The imports a generated file needs: each known simple name its body uses. */
final class Imports {
    private Imports() {}

    private static final Map<String, String> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("InetSocketAddress", "java.net.InetSocketAddress");
        KNOWN.put("Duration", "java.time.Duration");
        for (String n : new String[] {"ArrayList", "Arrays", "Collections", "List", "Objects", "UUID"}) {
            KNOWN.put(n, "java.util." + n);
        }
        for (String n : new String[] {"AbortCodes", "CallOptions", "RxAbortException", "RxEndpoint"}) {
            KNOWN.put(n, "org.rxrpc.api." + n);
        }
        for (String n : new String[] {
            "ErrorTable",
            "RxgenClient",
            "RxgenDispatcher",
            "ServerCall",
            "SplitCall",
            "Xdr",
            "XdrDecoder",
            "XdrEncoder",
            "XdrException"
        }) {
            KNOWN.put(n, "org.rxrpc.xdr." + n);
        }
    }

    /** The file: package line, imports used by {@code body}, then the body. */
    static String file(String javaPackage, String header, String body) {
        StringBuilder b = new StringBuilder();
        b.append(header);
        if (!javaPackage.isEmpty()) b.append("package ").append(javaPackage).append(";\n\n");
        String code = body.replaceAll("(?s)/\\*\\*.*?\\*/", "");
        boolean any = false;
        for (Map.Entry<String, String> e : KNOWN.entrySet()) {
            if (Pattern.compile("\\b" + e.getKey() + "\\b").matcher(code).find()) {
                b.append("import ").append(e.getValue()).append(";\n");
                any = true;
            }
        }
        if (any) b.append('\n');
        return b.append(body).toString();
    }
}
