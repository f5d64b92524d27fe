package dev.strand.jdbc;

import java.sql.Connection;

/**
 * The isolation level of a transaction, as defined by SQL and JDBC. Which ones a database honours,
 * and how, is the database's: PostgreSQL runs {@link #READ_UNCOMMITTED} as {@link #READ_COMMITTED}.
 */
public enum Isolation {
    /** {@link Connection#TRANSACTION_READ_UNCOMMITTED}. */
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED),
    /** {@link Connection#TRANSACTION_READ_COMMITTED}. */
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    /** {@link Connection#TRANSACTION_REPEATABLE_READ}. */
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    /** {@link Connection#TRANSACTION_SERIALIZABLE}. */
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    private final int jdbcLevel;

    Isolation(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /** The level's {@link Connection} constant. */
    int jdbcLevel() {
        return jdbcLevel;
    }
}
