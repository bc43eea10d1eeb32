package org.rxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A linked list in XDR (a struct whose last field is an optional pointer to its own type, as rxgen writes
 * OpenAFS's vldblist) decodes one level of recursion per element. A chain up to the bound decodes; a longer
 * one, from a peer that wants to exhaust the stack, is refused with an XdrException (a defined abort for a
 * dispatcher or a client), never a StackOverflowError.
 */
class XdrOptionalChainsAreBoundedTest {
    /** What rxgen generates for {@code struct node { int value; node *next; }}. */
    record Node(int value, Node next) {
        static Node decode(XdrDecoder in) {
            int value = in.readInt();
            Node next = in.readOptional(Node::decode);
            return new Node(value, next);
        }
    }

    private static ByteBuffer chain(int nodes) {
        ByteBuffer b = ByteBuffer.allocate(nodes * 8 + 4);
        b.putInt(1); // the head pointer is present
        for (int i = 0; i < nodes; i++) b.putInt(i).putInt(i + 1 < nodes ? 1 : 0);
        return b.flip();
    }

    @Test
    void aChainAsLongAsTheBoundDecodesWhole() {
        Node head = XdrDecoder.from(chain(XdrDecoder.MAX_OPTIONAL_DEPTH)).readOptional(Node::decode);
        int n = 0;
        for (Node e = head; e != null; e = e.next()) assertEquals(n++, e.value());
        assertEquals(XdrDecoder.MAX_OPTIONAL_DEPTH, n);
    }

    @Test
    void aLongerChainIsRefusedWithAnXdrException() {
        XdrDecoder in = XdrDecoder.from(chain(XdrDecoder.MAX_OPTIONAL_DEPTH + 1));
        XdrException e = assertThrows(XdrException.class, () -> in.readOptional(Node::decode));
        assertEquals("optional data nested deeper than " + XdrDecoder.MAX_OPTIONAL_DEPTH, e.getMessage());
    }

    @Test
    void aHundredThousandLinksFromAPeerNeitherOverflowTheStackNorDecode() {
        XdrDecoder in = XdrDecoder.from(chain(100_000));
        assertThrows(XdrException.class, () -> in.readOptional(Node::decode));
    }

    @Test
    void onAThreadWithASmallStackTheChainIsRefusedRatherThanOverflowing() throws Exception {
        Throwable[] seen = new Throwable[1];
        // 64 KiB of stack holds far fewer than MAX_OPTIONAL_DEPTH levels: the overflow is caught at the top.
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        XdrDecoder.from(chain(XdrDecoder.MAX_OPTIONAL_DEPTH)).readOptional(Node::decode);
                    } catch (Throwable e) {
                        seen[0] = e;
                    }
                },
                "small-stack",
                64 * 1024);
        t.start();
        t.join(10_000);
        assertEquals(XdrException.class, seen[0] == null ? null : seen[0].getClass());
    }
}
