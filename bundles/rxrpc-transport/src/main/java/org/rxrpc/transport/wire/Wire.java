package org.rxrpc.transport.wire;

/** Rx wire constants (OpenAFS src/rx/rx_packet.h, rx.h; Linux net/rxrpc/protocol.h). */
public final class Wire {
    private Wire() {}

    public static final int HEADER_SIZE = 28;

    public static final int TYPE_DATA = 1;
    public static final int TYPE_ACK = 2;
    public static final int TYPE_BUSY = 3;
    public static final int TYPE_ABORT = 4;
    public static final int TYPE_ACKALL = 5;
    public static final int TYPE_CHALLENGE = 6;
    public static final int TYPE_RESPONSE = 7;
    public static final int TYPE_DEBUG = 8;
    public static final int TYPE_PARAMS_FIRST = 9;
    public static final int TYPE_PARAMS_LAST = 12;
    public static final int TYPE_VERSION = 13;

    public static final int FLAG_CLIENT_INITIATED = 0x01;
    public static final int FLAG_REQUEST_ACK = 0x02;
    public static final int FLAG_LAST_PACKET = 0x04;
    public static final int FLAG_MORE_PACKETS = 0x08;
    /** On DATA: another sub-packet follows in this datagram. */
    public static final int FLAG_JUMBO_PACKET = 0x20;
    /** On ACK: the sender does slow start (always set by OpenAFS and Linux). */
    public static final int FLAG_SLOW_START_OK = 0x20;

    public static final int ACK_REQUESTED = 1;
    public static final int ACK_DUPLICATE = 2;
    public static final int ACK_OUT_OF_SEQUENCE = 3;
    public static final int ACK_EXCEEDS_WINDOW = 4;
    public static final int ACK_NOSPACE = 5;
    public static final int ACK_PING = 6;
    public static final int ACK_PING_RESPONSE = 7;
    public static final int ACK_DELAY = 8;
    public static final int ACK_IDLE = 9;

    /** Channels per connection (RX_MAXCALLS) and the cid bits naming them. */
    public static final int MAX_CALLS = 4;

    public static final int CHANNEL_MASK = 3;

    /** Data bytes in every packet of a jumbogram but its last, and in every non-final packet we send. */
    public static final int JUMBO_DATA_SIZE = 1412;
    /** The 4-byte header between jumbogram sub-packets. */
    public static final int JUMBO_HEADER_SIZE = 4;
    /** Data bytes of a single 1444-byte Rx packet (1500-byte Ethernet, OpenAFS's IPv6 overhead). */
    public static final int MAX_SINGLE_DATA = 1416;
    /** Largest datagram we accept, advertised as maxMTU: 28 + 4 x 1416, as OpenAFS and Linux do. */
    public static final int OUR_MAX_MTU = 5692;
    /** What we recommend peers send singly (ifMTU). */
    public static final int OUR_IF_MTU = 1444;
    /** Sub-packets per jumbogram we accept and send at most (OpenAFS on Ethernet). */
    public static final int OUR_JUMBO_MAX = 4;

    /** ACK body before the soft-ACK array: bufferSpace, maxSkew, firstPacket, previousPacket, serial, reason, nAcks. */
    public static final int ACK_FIXED_SIZE = 18;
    /** The 3 pad bytes and 4 trailer words after the soft-ACK array. */
    public static final int ACK_TRAILER_SIZE = 3 + 16;

    public static final int MAX_ACKS = 255;

    /** Body length of a VERSION reply. */
    public static final int VERSION_REPLY_SIZE = 65;

    /** seq comparisons modulo 2^32: true if a is before b. */
    public static boolean before(int a, int b) {
        return a - b < 0;
    }
}
