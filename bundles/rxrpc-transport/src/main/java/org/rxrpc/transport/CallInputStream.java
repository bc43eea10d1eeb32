package org.rxrpc.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.RxCallAbortedException;

/** The other side's message as an InputStream: reads wait as long as the call lives. */
final class CallInputStream extends InputStream {
    private static final long WAIT_SLICE_SECONDS = 1;
    private final Call call;
    private final byte[] one = new byte[1];
    private boolean ended;

    CallInputStream(Call call) {
        this.call = call;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (ended) return -1;
        try {
            while (true) {
                // The call's own limits (deadline, idle timeout, dead time) end a wait that is too long.
                int n = call.receive(b, off, len, WAIT_SLICE_SECONDS, TimeUnit.SECONDS);
                if (n < 0) ended = true;
                if (n != 0) return n;
            }
        } catch (RxCallAbortedException e) {
            throw new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading " + call);
        }
    }
}
