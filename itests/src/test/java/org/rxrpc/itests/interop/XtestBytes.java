package org.rxrpc.itests.interop;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.rxrpc.xdr.XdrEncoder;

/** A value's XDR bytes as our generated code writes them, in hex. */
final class XtestBytes {
    private XtestBytes() {}

    static String of(Consumer<XdrEncoder> encode) {
        ByteBuffer b = ByteBuffer.allocate(65536);
        encode.accept(XdrEncoder.into(b));
        b.flip();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
