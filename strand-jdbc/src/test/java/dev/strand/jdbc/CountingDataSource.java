package dev.strand.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source over a JDBC URL that records, from outside the database layer, every statement
 * its connections prepare, on which connection, and whether it was closed; for tests.
 */
final class CountingDataSource extends WrappingDataSource {

    /** One {@code prepareStatement} call. */
    static final class Prepared {
        final int connection;
        final String sql;
        volatile boolean closed;

        Prepared(int connection, String sql) {
            this.connection = connection;
            this.sql = sql;
        }
    }

    private final String url;
    private final String user;
    private final AtomicInteger connections = new AtomicInteger();
    final List<Prepared> prepared = new CopyOnWriteArrayList<>();
    final Map<Integer, Boolean> closedConnections = new ConcurrentHashMap<>();

    CountingDataSource(String url, String user) {
        this.url = url;
        this.user = user;
    }

    /** How many times {@code sql} was prepared on each connection, by connection number. */
    Map<Integer, Long> preparesPerConnection(String sql) {
        Map<Integer, Long> counts = new ConcurrentHashMap<>();
        for (Prepared p : prepared) {
            if (p.sql.equals(sql)) {
                counts.merge(p.connection, 1L, Long::sum);
            }
        }
        return counts;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection real = DriverManager.getConnection(url, user, "");
        int number = connections.incrementAndGet();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                closedConnections.put(number, true);
            }
            Object result = invoke(real, method, args);
            if (method.getName().equals("prepareStatement") && args.length == 1) {
                Prepared record = new Prepared(number, (String) args[0]);
                prepared.add(record);
                PreparedStatement statement = (PreparedStatement) result;
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                    if (m.getName().equals("close")) {
                        record.closed = true;
                    }
                    return invoke(statement, m, a);
                });
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }
}
