package org.rxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorTableTest {
    /** A two-code table as rxgen generates them. */
    private static final ErrorTable VL = new ErrorTable() {
        @Override
        public String tableName() {
            return "VL";
        }

        @Override
        public int base() {
            return 363520;
        }

        @Override
        public String name(int code) {
            return code == 363524 ? "VL_NOENT" : null;
        }

        @Override
        public String message(int code) {
            return code == 363524 ? "No such entry" : null;
        }
    };

    @Test
    void describesATableCodeLikeTranslateEt() {
        assertEquals("VL_NOENT (363524): No such entry", ErrorTable.describe(363524, VL));
    }

    @Test
    void describesRxCodesByNameAndOthersByNumber() {
        assertEquals("RXGEN_OPCODE (-455)", ErrorTable.describe(-455, VL));
        assertEquals("363525", ErrorTable.describe(363525, VL));
    }
}
