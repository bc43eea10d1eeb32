package org.rxrpc.cm;

/** RXAFSCB constants (OpenAFS src/fsint/afscbint.xg, common.xg). */
public final class Rxafscb {
    private Rxafscb() {}

    public static final int SERVICE_ID = 1;
    public static final int PORT = 7001;

    public static final int OP_CALLBACK = 204;
    public static final int OP_INIT_CALLBACK_STATE = 205;
    public static final int OP_PROBE = 206;
    public static final int OP_GET_LOCK = 207;
    public static final int OP_GET_CE = 208;
    public static final int OP_XSTATS_VERSION = 209;
    public static final int OP_GET_XSTATS = 210;
    public static final int OP_INIT_CALLBACK_STATE2 = 211;
    public static final int OP_WHO_ARE_YOU = 212;
    public static final int OP_INIT_CALLBACK_STATE3 = 213;
    public static final int OP_PROBE_UUID = 214;
    public static final int OP_GET_SERVER_PREFS = 215;
    public static final int OP_GET_CELL_SERV_DB = 216;
    public static final int OP_GET_LOCAL_CELL = 217;
    public static final int OP_GET_CACHE_CONFIG = 218;
    public static final int OP_GET_CE64 = 65536;
    public static final int OP_GET_CELL_BY_NUM = 65537;
    public static final int OP_TELL_ME_ABOUT_YOURSELF = 65538;

    /** Max FIDs / callbacks in one CallBack (AFSCBMAX). */
    public static final int AFSCBMAX = 50;
    /** Max length of a cell name (AFSNAMEMAX). */
    public static final int AFSNAMEMAX = 256;
    /** Max interfaces in an interfaceAddr (AFS_MAX_INTERFACE_ADDR). */
    public static final int MAX_INTERFACES = 32;

    /** The XStats version (AFSCB_XSTAT_VERSION). */
    public static final int XSTAT_VERSION = 2;
    /** Collection lengths in 4-byte words, as this OpenAFS's xstat_cm_test expects them. */
    public static final int XSTAT_CALL_INFO_WORDS = 566;

    public static final int XSTAT_PERF_INFO_WORDS = 159;
    public static final int XSTAT_FULL_PERF_INFO_WORDS = 775;
    /** The capability bit of TellMeAboutYourself: error translation (CLIENT_CAPABILITY_ERRORTRANS). */
    public static final int CAPABILITY_ERRORTRANS = 0x1;
    /** The abort code of "no such index / collection / UUID mismatch". */
    public static final int ABORT_NO_ENTRY = 1;
}
