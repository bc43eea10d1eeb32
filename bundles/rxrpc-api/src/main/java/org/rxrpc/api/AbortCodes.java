package org.rxrpc.api;

/** Rx abort codes (OpenAFS src/rx/rx.h, src/rxgen/rpc_errors.h). */
public final class AbortCodes {
    private AbortCodes() {}

    public static final int RX_CALL_DEAD = -1;
    public static final int RX_INVALID_OPERATION = -2;
    public static final int RX_CALL_TIMEOUT = -3;
    public static final int RX_EOF = -4;
    public static final int RX_PROTOCOL_ERROR = -5;
    public static final int RX_USER_ABORT = -6;
    public static final int RX_ADDRINUSE = -7;
    public static final int RX_MSGSIZE = -8;
    public static final int RX_DEBUGI_BADTYPE = -8;
    /** Formerly RX_CALL_BUSY; never sent, used locally for a call the server kept refusing with BUSY. */
    public static final int RX_CALL_BUSY = -10;

    public static final int RX_RESTARTING = -100;
    public static final int RXGEN_CC_MARSHAL = -450;
    public static final int RXGEN_CC_UNMARSHAL = -451;
    public static final int RXGEN_SS_MARSHAL = -452;
    public static final int RXGEN_SS_UNMARSHAL = -453;
    public static final int RXGEN_DECODE = -454;
    public static final int RXGEN_OPCODE = -455;

    /** A readable name for a code, or "application error". */
    public static String name(int code) {
        switch (code) {
            case RX_CALL_DEAD:
                return "RX_CALL_DEAD";
            case RX_INVALID_OPERATION:
                return "RX_INVALID_OPERATION";
            case RX_CALL_TIMEOUT:
                return "RX_CALL_TIMEOUT";
            case RX_EOF:
                return "RX_EOF";
            case RX_PROTOCOL_ERROR:
                return "RX_PROTOCOL_ERROR";
            case RX_USER_ABORT:
                return "RX_USER_ABORT";
            case RX_ADDRINUSE:
                return "RX_ADDRINUSE";
            case RX_MSGSIZE:
                return "RX_MSGSIZE";
            case RX_CALL_BUSY:
                return "RX_CALL_BUSY";
            case RX_RESTARTING:
                return "RX_RESTARTING";
            case RXGEN_CC_MARSHAL:
                return "RXGEN_CC_MARSHAL";
            case RXGEN_CC_UNMARSHAL:
                return "RXGEN_CC_UNMARSHAL";
            case RXGEN_SS_MARSHAL:
                return "RXGEN_SS_MARSHAL";
            case RXGEN_SS_UNMARSHAL:
                return "RXGEN_SS_UNMARSHAL";
            case RXGEN_DECODE:
                return "RXGEN_DECODE";
            case RXGEN_OPCODE:
                return "RXGEN_OPCODE";
            default:
                return "application error";
        }
    }
}
