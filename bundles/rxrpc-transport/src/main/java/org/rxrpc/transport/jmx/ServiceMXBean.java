package org.rxrpc.transport.jmx;

/**
 * One whiteboard service, as JMX shows it: {@code org.rxrpc:type=Service,port=PORT,id=SERVICE}. The
 * backlog figures are read on its endpoint's I/O thread; they are -1 while it does not listen.
 */
public interface ServiceMXBean {
    int getServiceId();

    String getName();

    /** The port asked for (0: any). */
    int getPort();

    /** LISTENING, WAITING or FAILED. */
    String getState();

    /** The address listened on, HOST:PORT, or "" when not listening. */
    String getBoundTo();

    /** Why it is not listening (FAILED), or what it waits for (WAITING); "" when listening. */
    String getDetail();

    int getBacklog();

    int getChargedCalls();

    int getLiveCalls();

    int getDeferredCalls();

    long getBusySent();
}
