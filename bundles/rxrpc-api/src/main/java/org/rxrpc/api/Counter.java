package org.rxrpc.api;

/**
 * The endpoint's counters, read through {@link RxStats#get}. Each has a stable {@link #id()} (never
 * reused or renumbered: new counters take new ids), a short {@link #label()} for people, and a
 * {@link #kind()} (Aeron's SystemCounterDescriptor is the model).
 */
public enum Counter {
    DATAGRAMS_RECEIVED(1, "datagrams received", Kind.COUNT),
    DATAGRAMS_SENT(2, "datagrams sent", Kind.COUNT),
    /** Datagrams the socket refused (buffer full or an error); Rx retransmits what matters. */
    SEND_FAILURES(3, "datagrams the socket refused", Kind.COUNT),
    DATA_PACKETS_RECEIVED(4, "DATA packets received", Kind.COUNT),
    DATA_PACKETS_SENT(5, "DATA packets sent", Kind.COUNT),
    DATA_PACKETS_RETRANSMITTED(6, "DATA packets retransmitted", Kind.COUNT),
    DUPLICATE_DATA_RECEIVED(7, "duplicate DATA received", Kind.COUNT),
    ACKS_RECEIVED(8, "ACKs received", Kind.COUNT),
    ACKS_SENT(9, "ACKs sent", Kind.COUNT),
    PINGS_SENT(10, "PINGs sent", Kind.COUNT),
    PING_RESPONSES_SENT(11, "PING responses sent", Kind.COUNT),
    FAST_RETRANSMITS(12, "fast retransmits", Kind.COUNT),
    RETRANSMIT_TIMEOUTS(13, "retransmission timeouts", Kind.COUNT),
    /** Incoming calls made live from a backlog. */
    CALLS_MADE_LIVE(14, "incoming calls made live", Kind.COUNT),
    /** First packets of new calls kept while the backlog was empty, until a charge (see EndpointOptions). */
    CALLS_DEFERRED(15, "new calls kept for a charge", Kind.COUNT),
    /** Kept first packets answered with an ABORT because their service closed before a charge came. */
    DEFERRED_CALLS_ABORTED(16, "kept calls aborted (service closed)", Kind.COUNT),
    /** BUSY answers sent because a service's backlog was empty. */
    BUSY_SENT(17, "BUSY sent", Kind.COUNT),
    BUSY_RECEIVED(18, "BUSY received", Kind.COUNT),
    /** Calls for a service nobody listens on, answered with an ABORT. */
    CALLS_FOR_UNKNOWN_SERVICE(19, "calls for an unknown service", Kind.COUNT),
    CLIENT_CALLS_STARTED(20, "client calls started", Kind.COUNT),
    CALLS_SUCCEEDED(21, "calls succeeded", Kind.COUNT),
    CALLS_ABORTED_LOCALLY(22, "calls aborted by us", Kind.COUNT),
    CALLS_ABORTED_REMOTELY(23, "calls aborted by the peer", Kind.COUNT),
    CALLS_DISCARDED(24, "charged calls discarded", Kind.COUNT),
    CONNECTIONS_CREATED(25, "connections created", Kind.COUNT),
    CONNECTIONS_REAPED(26, "connections reaped", Kind.COUNT),
    /** Idle server connections dropped to make room at the maxConnections cap (least recently used). */
    CONNECTIONS_EVICTED(27, "connections evicted at the cap", Kind.COUNT),
    PEERS_CREATED(28, "peers created", Kind.COUNT),
    PEERS_REAPED(29, "peers reaped", Kind.COUNT),
    /** Peers without connections dropped to make room at the maxPeers cap (least recently used). */
    PEERS_EVICTED(30, "peers evicted at the cap", Kind.COUNT),
    /** New calls answered BUSY because the peer or connection table was full of entries in use. */
    NEW_CALLS_REFUSED_TABLES_FULL(31, "new calls refused, tables full", Kind.COUNT),
    /**
     * Packets of a call already finished or superseded on its channel (a late ACK, a duplicate): normal
     * on a real network, ignored, not counted as drops.
     */
    LATE_PACKETS(32, "late packets of finished calls", Kind.COUNT),
    VERSION_REQUESTS_ANSWERED(33, "VERSION requests answered", Kind.COUNT),
    DEBUG_REQUESTS_ANSWERED(34, "DEBUG requests answered", Kind.COUNT),
    RTT_SAMPLES(35, "RTT samples", Kind.COUNT),
    /** Sum of RTT samples in microseconds (mean = this / RTT_SAMPLES). */
    RTT_SUM_MICROS(36, "RTT sum (us)", Kind.SUM),
    /** Packets dropped: too short for a header or a packet type's body. */
    DROP_TRUNCATED(37, "dropped: truncated", Kind.DROP),
    /** Datagrams dropped: longer than any Rx datagram we accept (16 KiB). */
    DROP_OVERSIZED(38, "dropped: oversized", Kind.DROP),
    /** Packets dropped: a field holds a value the protocol forbids (type, seq 0, call 0, service 0...). */
    DROP_INVALID_FIELD(39, "dropped: invalid field", Kind.DROP),
    /** Packets dropped: no call, connection or service they belong to. */
    DROP_NO_CALL(40, "dropped: no call", Kind.DROP),
    /** Packets dropped: an ACK acknowledging packets never sent. */
    DROP_ACK_OUT_OF_RANGE(41, "dropped: ACK out of range", Kind.DROP),
    /** Packets dropped: unsupported security class on an existing connection, or a mismatch. */
    DROP_SECURITY(42, "dropped: security", Kind.DROP),
    /** Packets dropped: no free packet buffer. */
    DROP_NO_BUFFER(43, "dropped: no buffer", Kind.DROP),
    /** DATA dropped: beyond the receive window. */
    DROP_EXCEEDS_WINDOW(44, "dropped: beyond the window", Kind.DROP),
    /** Bytes allocated by the I/O thread since it started (ThreadMXBean), or -1 if unsupported. */
    IO_THREAD_ALLOCATED_BYTES(45, "I/O thread bytes allocated", Kind.SUM),
    /** DEBUG or VERSION requests not answered: from a source not allowed, or over the rate limit. */
    DEBUG_REQUESTS_REFUSED(46, "DEBUG/VERSION requests refused", Kind.COUNT),
    /** Calls in their request phase aborted to let a waiting newcomer in (fair admission). */
    HALF_OPEN_CALLS_EVICTED(47, "half-open calls evicted for newcomers", Kind.COUNT),
    /** CHALLENGE packets sent (first sends and resends) to clients of connections not yet authenticated. */
    CHALLENGES_SENT(48, "CHALLENGEs sent", Kind.COUNT),
    /** RESPONSE packets sent, answering a server's CHALLENGE. */
    RESPONSES_SENT(49, "RESPONSEs sent", Kind.COUNT),
    /** Server connections whose client's RESPONSE was verified: their held calls go live. */
    CONNECTIONS_AUTHENTICATED(50, "connections authenticated", Kind.COUNT),
    /** RESPONSEs refused (bad ticket, key, checksum, nonce...): the connection aborted with the class's code. */
    RESPONSES_REJECTED(51, "RESPONSEs rejected (connection aborted)", Kind.COUNT),
    /** New connections under a security index the service does not accept: raw ABORT RX_INVALID_OPERATION. */
    SECURITY_CLASS_REFUSED(52, "connections refused: security class not accepted", Kind.COUNT),
    /** Authenticated connections below the service's minimum level: aborted RXKADLEVELFAIL. */
    SECURITY_LEVEL_REFUSED(53, "connections refused: level below the minimum", Kind.COUNT),
    /** RESPONSEs dropped: no CHALLENGE outstanding on their connection (never aborted: anyone can send one). */
    DROP_UNEXPECTED_RESPONSE(54, "dropped: RESPONSE without a CHALLENGE", Kind.DROP),
    /** DATA failing its class's check (header checksum, sealed header, length, expiry): the call aborted. */
    SECURED_PACKETS_REJECTED(55, "secured DATA rejected (call aborted)", Kind.COUNT),
    /** Connections whose CHALLENGE went unanswered after every resend: their held calls aborted RX_CALL_DEAD. */
    CHALLENGES_UNANSWERED(56, "CHALLENGEs unanswered (held calls aborted)", Kind.COUNT),
    /** CHALLENGEs our client side could not answer (level too high, token expired, malformed): connection aborted. */
    CHALLENGES_REFUSED(57, "CHALLENGEs refused by our client", Kind.COUNT);

    /** What a counter counts. Every kind only grows. */
    public enum Kind {
        /** Events: packets, calls, table entries. */
        COUNT,
        /** Datagrams dropped as malformed, unroutable or unbufferable. */
        DROP,
        /** A running total of a quantity (microseconds, bytes). */
        SUM
    }

    private static final Counter[] BY_ID;

    static {
        int max = 0;
        for (Counter c : values()) max = Math.max(max, c.id);
        BY_ID = new Counter[max + 1];
        for (Counter c : values()) {
            if (BY_ID[c.id] != null) throw new ExceptionInInitializerError("duplicate counter id " + c.id);
            BY_ID[c.id] = c;
        }
    }

    private final int id;
    private final String label;
    private final Kind kind;

    Counter(int id, String label, Kind kind) {
        this.id = id;
        this.label = label;
        this.kind = kind;
    }

    public int id() {
        return id;
    }

    public String label() {
        return label;
    }

    public Kind kind() {
        return kind;
    }

    /** The highest id in use: arrays indexed by id need one more slot. */
    public static int maxId() {
        return BY_ID.length - 1;
    }

    /** The counter with this id, or null if none has it. */
    public static Counter byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
