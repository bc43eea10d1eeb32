package org.rxrpc.xdr;

import org.rxrpc.api.AbortCodes;

/**
 * A com_err error table ({@code .et} file compiled by rxgen for Java): the codes of one table are
 * {@code base() + 0, base() + 1, ...}, base computed from the table's name as compile_et computes it.
 */
public interface ErrorTable {
    /** The table's name as written after {@code error_table}. */
    String tableName();

    /** The first code. */
    int base();

    /** The symbolic name of {@code code} ({@code VL_NOENT}), or null if the code is not in this table. */
    String name(int code);

    /** The message of {@code code} ({@code No such entry}), or null if the code is not in this table. */
    String message(int code);

    default boolean contains(int code) {
        return name(code) != null;
    }

    /**
     * Renders an abort code for people: {@code VL_NOENT (363524): No such entry} from the first table that
     * knows it, the Rx and rxgen names ({@code RXGEN_OPCODE (-455)}), or the bare number.
     */
    static String describe(int code, ErrorTable... tables) {
        for (ErrorTable t : tables) {
            String name = t.name(code);
            if (name != null) return name + " (" + code + "): " + t.message(code);
        }
        String rx = AbortCodes.name(code);
        if (!rx.equals("application error")) return rx + " (" + code + ")";
        return Integer.toString(code);
    }
}
