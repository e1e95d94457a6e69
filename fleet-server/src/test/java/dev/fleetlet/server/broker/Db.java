package dev.fleetlet.server.broker;

import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Direct SQL reads for test assertions. */
public final class Db {

    private Db() {
    }

    /** The first column of the first row as a number, e.g. of {@code SELECT COUNT(*) ...}. */
    public static long count(ApplicationContext context, String sql, Object... args) {
        return firstColumn(context, sql, args, rs -> rs.getLong(1));
    }

    /** The first column of the first row as a string. */
    public static String firstString(ApplicationContext context, String sql, Object... args) {
        return firstColumn(context, sql, args, rs -> rs.getString(1));
    }

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> T firstColumn(ApplicationContext context, String sql, Object[] args, Column<T> column) {
        DataSource ds = context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return column.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
