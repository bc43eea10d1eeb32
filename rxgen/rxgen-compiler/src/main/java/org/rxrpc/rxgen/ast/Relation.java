package org.rxrpc.rxgen.ast;

/** How a declared name relates to its type (rxgen's {@code relation}). */
public enum Relation {
    /** {@code T name}: the value itself. */
    ALIAS,
    /** {@code T *name}: optional data in structs and typedefs (bool + value); by reference in proc parameters. */
    POINTER,
    /** {@code T name[N]}: exactly N elements, no count on the wire. */
    VECTOR,
    /** {@code T name<N>} or {@code T name<>}: a count then at most N elements. */
    ARRAY
}
