package org.rxrpc.api;

/** Where a call is in its life. The last four are final. */
public enum CallState {
    /** Charged into a backlog, waiting for a client's call. */
    PREALLOCATED,
    /** Client: sending the request. */
    CLIENT_SENDING_REQUEST,
    /** Client: request sent, receiving the reply. */
    CLIENT_RECEIVING_REPLY,
    /** Server: receiving the request. */
    SERVER_RECEIVING_REQUEST,
    /** Server: request received, sending the reply. */
    SERVER_SENDING_REPLY,
    /** Server: reply sent, waiting for the client to acknowledge it. */
    SERVER_AWAITING_FINAL_ACK,
    /** Complete: every byte delivered both ways. */
    SUCCEEDED,
    /** Complete: the peer aborted the call. */
    REMOTELY_ABORTED,
    /** Complete: we aborted it (the application, a timeout or a protocol error). */
    LOCALLY_ABORTED,
    /** Complete, client only: the server kept answering BUSY and the retries ran out; nothing ran. */
    BUSY;

    public boolean isComplete() {
        return ordinal() >= SUCCEEDED.ordinal();
    }
}
