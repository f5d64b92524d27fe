package dev.strand.jdbc;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Database#transaction(TransactionOptions, java.util.function.Function)} runs its
 * transaction: {@code TransactionOptions.defaults().isolation(Isolation.SERIALIZABLE).readOnly(true)}.
 * Whatever is set here holds for that transaction only; the connection goes back to the pool with
 * its own settings restored.
 *
 * <p>Immutable and thread-safe; each setter returns a new instance.
 */
public final class TransactionOptions {

    private static final TransactionOptions DEFAULTS = new TransactionOptions(Optional.empty(), false);

    private final Optional<Isolation> isolation;
    private final boolean readOnly;

    private TransactionOptions(Optional<Isolation> isolation, boolean readOnly) {
        this.isolation = isolation;
        this.readOnly = readOnly;
    }

    /** The connection's own isolation level, read and write. */
    public static TransactionOptions defaults() {
        return DEFAULTS;
    }

    /** These options with the transaction run at {@code isolation}. */
    public TransactionOptions isolation(Isolation isolation) {
        return new TransactionOptions(Optional.of(Objects.requireNonNull(isolation, "isolation")), readOnly);
    }

    /**
     * These options with the transaction read-only, or not. A database that honours it refuses
     * writes; for others (H2) it is a hint.
     */
    public TransactionOptions readOnly(boolean readOnly) {
        return new TransactionOptions(isolation, readOnly);
    }

    /** The isolation level asked for; empty: the connection's own. */
    public Optional<Isolation> isolation() {
        return isolation;
    }

    /** Whether the transaction is read-only. */
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public String toString() {
        return "TransactionOptions[isolation=" + isolation.map(Enum::name).orElse("default") + ", readOnly=" + readOnly + "]";
    }
}
