package org.rxrpc.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;
import org.rxrpc.security.SecurityIdentity;

/**
 * One Rx call, client or server side. Bytes stream in both directions without the whole message being
 * held: {@link #send} blocks while the transmit buffer is full, {@link #receive} returns what has
 * arrived in order. A call ends with every byte delivered ({@link CallState#SUCCEEDED}) or with an
 * explicit abort code.
 *
 * <p>The user call ID is in use from the charge until the call is released: by {@link #close()} once it
 * is live, or by the service's discard if it never became live.
 */
@ProviderType
public interface RxCall extends AutoCloseable {

    /** The user call ID, or -1 for a client call or a call not yet accepted. */
    long userCallId();

    int serviceId();

    boolean isClient();

    /** The remote address (null while a charged call is not yet live). */
    InetSocketAddress peer();

    /**
     * The security class of the call's connection, as the header's securityIndex names it (0 null, 2 rxkad):
     * for a server call the class the client chose, for a client call the one of its
     * {@link CallOptions#security()}. 0 while a charged call is not yet live. Any thread; allocates nothing.
     */
    int securityIndex();

    /**
     * The level the connection runs at ({@link org.rxrpc.security.SecurityLevels}: 0 clear, 1 auth, 2 crypt):
     * for a server call the one the client's RESPONSE chose, for a client call the one asked for; 0 for the
     * null class and while a charged call is not yet live. Any thread; allocates nothing.
     */
    int securityLevel();

    /**
     * Who called, as the connection's security class authenticated them: for rxkad the ticket's principal,
     * the kvno of the server key that sealed it, the level and the expiry. Null for the null class, for a
     * client call, and while a charged call is not yet live (a server call goes live only once its client
     * is authenticated, so a live server call under a class with a challenge always has one).
     *
     * <p>A service authorises by it (OpenAFS's servers ask {@code afsconf_SuperUser} the same). Any thread:
     * the identity is made by the first caller for the connection and kept, so later calls on the same
     * connection get the same object without allocating. That first time allocates: on the I/O thread (an
     * event-loop handler) it is the one allocation a new secured connection costs there.
     */
    SecurityIdentity identity();

    /**
     * Queues bytes of this side's message (the request for a client, the reply for a server), blocking
     * while the call's transmit buffer is full. {@code last} ends the message; a server may pass an empty
     * buffer with {@code last} to send an empty reply. Bytes go out in packets of 1412: until a packet is
     * full or {@code last} is given, they wait (as OpenAFS's rx_Write does until rx_FlushWrite).
     *
     * @throws RxCallAbortedException if the call was aborted (the code says why)
     * <p>On the endpoint's I/O thread (an event-loop handler, told of the call there) it never waits: up
     * to 255 unacknowledged packets may be queued; past that it throws and the call is aborted.
     *
     * @throws IllegalStateException if this side already sent its last byte, or a server call is still
     *     receiving its request, or on the I/O thread when the transmit buffer is full
     */
    void send(ByteBuffer data, boolean last) throws InterruptedException;

    /** {@link #send(ByteBuffer, boolean)} from an array, copied straight into the call's packet buffers. */
    void send(byte[] data, int offset, int length, boolean last) throws InterruptedException;

    /**
     * Copies the next bytes of the other side's message into {@code dst}, waiting up to the timeout for
     * some to arrive.
     *
     * <p>On the endpoint's I/O thread (a receive notifier, an event-loop handler) it never waits: the
     * timeout counts as 0.
     *
     * @return bytes copied (0 only on timeout), or -1 once the whole message has been read
     * @throws IllegalArgumentException if {@code dst} has no room (a reader that passes a full buffer
     *     would otherwise spin)
     * @throws RxCallAbortedException if the call was aborted before the message was complete
     */
    int receive(ByteBuffer dst, long timeout, TimeUnit unit) throws InterruptedException;

    /** {@link #receive(ByteBuffer, long, TimeUnit)} into {@code dst[offset..offset+length)}, length &gt; 0. */
    int receive(byte[] dst, int offset, int length, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Reads the other side's whole message, of at most {@code maxBytes}, waiting up to the timeout for
     * its end.
     *
     * @throws RxMessageTooLongException if it is longer (the call is then aborted, see there)
     * @throws RxTimeoutException if it did not end in time (the call goes on; what was read is lost)
     * @throws RxCallAbortedException if the call was aborted
     */
    byte[] receiveMessage(int maxBytes, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * The other side's message as a stream (one per call): {@code read} waits for bytes as long as the
     * call lives (its deadline, the idle timeout and the dead time bound that), returns -1 at the end of
     * the message, and turns an abort into an {@link java.io.IOException} whose cause is the
     * {@link RxCallAbortedException}.
     */
    InputStream inputStream();

    /**
     * This side's message as a stream (one per call): {@code write} is {@link #send(byte[], int, int,
     * boolean)} without {@code last}, {@code close} ends the message. Bytes go straight into the call's
     * packet buffers.
     */
    OutputStream outputStream();

    /** Aborts the call with {@code code}, sent to the peer; no effect on a completed call. */
    void abort(int code);

    CallState state();

    /**
     * The abort code that ended the call (sent by the peer, or by us, or a local timeout code), 0 if it
     * did not end with an abort.
     */
    int abortCode();

    /**
     * Waits until the call is complete: for a client when the whole reply arrived, for a server when
     * the client acknowledged the whole reply.
     *
     * @return true if complete
     */
    boolean awaitCompletion(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Releases the call and its user call ID, once: closing again does nothing. A server call whose whole
     * reply has been sent is left to finish by itself (the transport still waits for the client's final
     * ACK and retransmits); any other call still in progress is aborted with
     * {@link AbortCodes#RX_USER_ABORT}.
     *
     * <p>A call that is charged and not yet live belongs to its service's backlog, as in Linux: it is
     * released by the service's close, through the {@link DiscardNotifier}, and cannot be closed on its
     * own (closing it after the discard does nothing).
     *
     * @throws IllegalStateException if the call is charged and not yet live
     */
    @Override
    void close();
}
