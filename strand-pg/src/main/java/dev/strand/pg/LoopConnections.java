package dev.strand.pg;

import dev.strand.reactor.EventLoop;

/**
 * The shared (pipelined) connections of one loop: up to a fixed number, opened as load needs them.
 * Loop-confined: only {@link #loop} touches it.
 */
final class LoopConnections {

    final EventLoop loop;
    private final PgClient client;
    private final PgConnection[] slots;

    LoopConnections(EventLoop loop, PgClient client, int size) {
        this.loop = loop;
        this.client = client;
        this.slots = new PgConnection[size];
    }

    /**
     * The connection for the next command: the least busy open one, or a new one while a slot is
     * free and every open one is busy. Empty (null) when none is open and the database is known to
     * be unreachable for now. On the loop.
     */
    PgConnection pick() {
        PgConnection best = null;
        int free = -1;
        for (int i = 0; i < slots.length; i++) {
            PgConnection connection = slots[i];
            if (connection == null || !connection.isOpen()) {
                if (free < 0) {
                    free = i;
                }
            } else if (best == null || connection.load() < best.load()) {
                best = connection;
            }
        }
        if (free >= 0 && (best == null || best.load() > 0) && client.mayConnect()) {
            slots[free] = PgConnection.open(loop, client, client.statementCacheSize(), true);
            return slots[free];
        }
        return best;
    }

    /** Closes every connection; what is in flight fails. On the loop. */
    void closeAll() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                slots[i].close();
                slots[i] = null;
            }
        }
    }
}
