package org.rxrpc.rxgen.et;

import java.util.List;

/**
 * A com_err error table: codes are {@code base + index}.
 *
 * @param entries in index order; an index skipped with {@code ec NAME = N} has no entry
 */
public record ErrorTableDef(String name, int base, List<Entry> entries, String file) {
    public record Entry(int index, String name, String message) {}
}
