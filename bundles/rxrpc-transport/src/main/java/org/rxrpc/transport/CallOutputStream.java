package org.rxrpc.transport;

import java.io.IOException;
import java.io.OutputStream;
import org.rxrpc.api.RxCallAbortedException;

/** This side's message as an OutputStream: writes go into packet buffers, close() ends the message. */
final class CallOutputStream extends OutputStream {
    private final Call call;
    private final byte[] one = new byte[1];
    private boolean closed;

    CallOutputStream(Call call) {
        this.call = call;
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed: the message has ended");
        send(b, off, len, false);
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        send(one, 0, 0, true);
    }

    private void send(byte[] b, int off, int len, boolean last) throws IOException {
        try {
            call.send(b, off, len, last);
        } catch (RxCallAbortedException e) {
            throw new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing " + call);
        }
    }
}
