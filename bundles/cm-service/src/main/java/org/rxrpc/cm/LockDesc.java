package org.rxrpc.cm;

/**
 * A lock's state as cmdebug shows it (XDR AFSDBLockDesc, 32 bytes: waitStates, exclLocked,
 * readersReading, numWaiting, spare (always 0), pid_last_reader, pid_writer, src_indicator). The char
 * and short members travel as one 4-byte unit each.
 */
public record LockDesc(
        int waitStates,
        int exclLocked,
        int readersReading,
        int numWaiting,
        int pidLastReader,
        int pidWriter,
        int srcIndicator) {
    /** An unlocked lock. */
    public static final LockDesc UNLOCKED = new LockDesc(0, 0, 0, 0, 0, 0, 0);
}
