package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.reactor.Deadline;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The race a deadline's cancel can lose: the statement ends just as the cancel goes out, so the
 * cancel finds nothing to stop, and some drivers (H2) keep it for the session's next statement,
 * which may be another caller's. Such a connection works, but is not lent again.
 */
class ACancelThatMissesItsStatementRetiresTheConnectionTest {

    @Test
    void aStatementThatSucceedsAfterItsCancelWentOutReturnsItsRowsAndItsConnectionIsRetired() {
        String url = "jdbc:h2:mem:missed-cancel;DB_CLOSE_DELAY=-1";
        try (Database db = Database.builder().dataSource(new LateStatements(url)).offload(false).poolSize(1).build()) {
            assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)), "the connection is made");
            List<Integer> rows = Deadline.after(Duration.ofMillis(100)).call(() -> db.query("SELECT 1 /* late */", rs -> rs.getInt(1)));

            assertEquals(List.of(1), rows, "the statement succeeded; its rows are the caller's");
            assertEquals(1, db.metrics().pool().destructions(), "the connection was retired");
            assertEquals(0, db.metrics().connectionsLost(), "it did not break");
            assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)), "the next call gets a new connection");
            assertEquals(2, db.metrics().pool().creations());
        }
    }

    /**
     * Connections whose statements marked {@code /* late *}{@code /} begin to run only once they have
     * been cancelled: a cancel of a statement not yet running, which the driver ignores.
     */
    private static final class LateStatements extends WrappingDataSource {
        private final String url;

        LateStatements(String url) {
            this.url = url;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = DriverManager.getConnection(url, "sa", "");
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        Object result = invoke(real, method, args);
                        if (method.getName().equals("prepareStatement") && ((String) args[0]).contains("/* late */")) {
                            return late((PreparedStatement) result);
                        }
                        return result;
                    });
        }

        private PreparedStatement late(PreparedStatement real) {
            CountDownLatch cancelled = new CountDownLatch(1);
            return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("executeQuery")) {
                            if (!cancelled.await(10, TimeUnit.SECONDS)) {
                                throw new AssertionError("never cancelled");
                            }
                        }
                        Object result = invoke(real, method, args);
                        if (method.getName().equals("cancel")) {
                            cancelled.countDown();
                        }
                        return result;
                    });
        }
    }
}
