package org.rxrpc.itests.interop;

import java.nio.ByteBuffer;
import org.rxrpc.api.RxAbortException;
import org.rxrpc.itests.xtest.Aggregate;
import org.rxrpc.itests.xtest.Scalars;
import org.rxrpc.itests.xtest.Shape;
import org.rxrpc.itests.xtest.Test;
import org.rxrpc.itests.xtest.TestService;
import org.rxrpc.xdr.ServerCall;

/** everything.xg's procedures in Java, answering as src/test/c/xtest_server.c does. */
final class XtestJavaService implements TestService {
    @Override
    public Scalars echo(ServerCall call, Scalars in) {
        if (!in.equals(XtestGolden.scalars())) throw new RxAbortException(1001);
        return in;
    }

    @Override
    public Aggregate echoAggregate(ServerCall call, Aggregate a) {
        if (!a.equals(XtestGolden.aggregate())) throw new RxAbortException(1002);
        return a;
    }

    @Override
    public Test.EchoShapeResult echoShape(ServerCall call, Shape s, int counter) {
        int which = s instanceof Shape.Red ? 0 : s instanceof Shape.Green ? 1 : s instanceof Shape.Blue ? 2 : 3;
        if (!XtestBytes.of(s::encode).equals(XtestBytes.of(XtestGolden.shape(which)::encode))) {
            throw new RxAbortException(1003);
        }
        return new Test.EchoShapeResult(counter + 1, s);
    }

    @Override
    public void nothing(ServerCall call) {}

    @Override
    public Test.NamesResult names(ServerCall call, String start, int count) {
        if (count < 0 || count > 1000) throw new RxAbortException(1004);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = 1000 + i; // over 8: the reply cannot be encoded
        return new Test.NamesResult(ids, start);
    }

    @Override
    public int bulk(ServerCall call, int length) {
        if (length < 0 || length > 1 << 20) throw new RxAbortException(1005);
        ByteBuffer bytes = ByteBuffer.allocate(length);
        call.in().readBytes(bytes);
        int sum = 0;
        for (byte b : bytes.array()) sum += b & 0xFF;
        call.out().writeBytes(bytes.flip());
        return sum;
    }

    @Override
    public void fail(ServerCall call, int code) {
        throw new RxAbortException(code);
    }

    @Override
    public int ping(ServerCall call, int x) {
        return x + 1;
    }
}
