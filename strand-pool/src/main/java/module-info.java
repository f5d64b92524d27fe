/**
 * Strand's pool: {@link dev.strand.pool.Pool} lends any resource (connections, clients, buffers)
 * to fibers and threads. Waiters park in arrival order, creation runs off the caller, and an
 * acquire honours the {@link dev.strand.reactor.Deadline} in force.
 */
module dev.strand.pool {
    requires transitive dev.strand.reactor;
    exports dev.strand.pool;
}
