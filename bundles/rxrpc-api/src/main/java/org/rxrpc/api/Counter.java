package org.rxrpc.api;

/** The endpoint's counters, read through {@link RxStats#get}. */
public enum Counter {
    DATAGRAMS_RECEIVED,
    DATAGRAMS_SENT,
    /** Datagrams the socket refused (buffer full or an error); Rx retransmits what matters. */
    SEND_FAILURES,
    DATA_PACKETS_RECEIVED,
    DATA_PACKETS_SENT,
    DATA_PACKETS_RETRANSMITTED,
    DUPLICATE_DATA_RECEIVED,
    ACKS_RECEIVED,
    ACKS_SENT,
    PINGS_SENT,
    PING_RESPONSES_SENT,
    FAST_RETRANSMITS,
    RETRANSMIT_TIMEOUTS,
    /** Incoming calls made live from a backlog. */
    CALLS_MADE_LIVE,
    /** First packets of new calls kept while the backlog was empty, until a charge (see EndpointOptions). */
    CALLS_DEFERRED,
    /** Kept first packets answered with an ABORT because their service closed before a charge came. */
    DEFERRED_CALLS_ABORTED,
    /** BUSY answers sent because a service's backlog was empty. */
    BUSY_SENT,
    BUSY_RECEIVED,
    /** Calls for a service nobody listens on, answered with an ABORT. */
    CALLS_FOR_UNKNOWN_SERVICE,
    CLIENT_CALLS_STARTED,
    CALLS_SUCCEEDED,
    CALLS_ABORTED_LOCALLY,
    CALLS_ABORTED_REMOTELY,
    CALLS_DISCARDED,
    CONNECTIONS_CREATED,
    CONNECTIONS_REAPED,
    /** Idle server connections dropped to make room at the maxConnections cap (least recently used). */
    CONNECTIONS_EVICTED,
    PEERS_CREATED,
    PEERS_REAPED,
    /** Peers without connections dropped to make room at the maxPeers cap (least recently used). */
    PEERS_EVICTED,
    /** New calls answered BUSY because the peer or connection table was full of entries in use. */
    NEW_CALLS_REFUSED_TABLES_FULL,
    /**
     * Packets of a call already finished or superseded on its channel (a late ACK, a duplicate): normal
     * on a real network, ignored, not counted as drops.
     */
    LATE_PACKETS,
    VERSION_REQUESTS_ANSWERED,
    DEBUG_REQUESTS_ANSWERED,
    RTT_SAMPLES,
    /** Sum of RTT samples in microseconds (mean = this / RTT_SAMPLES). */
    RTT_SUM_MICROS,
    /** Packets dropped: too short for a header or a packet type's body. */
    DROP_TRUNCATED,
    /** Datagrams dropped: longer than any Rx datagram we accept (16 KiB). */
    DROP_OVERSIZED,
    /** Packets dropped: a field holds a value the protocol forbids (type, seq 0, call 0, service 0...). */
    DROP_INVALID_FIELD,
    /** Packets dropped: no call, connection or service they belong to. */
    DROP_NO_CALL,
    /** Packets dropped: an ACK acknowledging packets never sent. */
    DROP_ACK_OUT_OF_RANGE,
    /** Packets dropped: unsupported security class on an existing connection, or a mismatch. */
    DROP_SECURITY,
    /** Packets dropped: no free packet buffer. */
    DROP_NO_BUFFER,
    /** DATA dropped: beyond the receive window. */
    DROP_EXCEEDS_WINDOW,
    /** Bytes allocated by the I/O thread since it started (ThreadMXBean), or -1 if unsupported. */
    IO_THREAD_ALLOCATED_BYTES
}
