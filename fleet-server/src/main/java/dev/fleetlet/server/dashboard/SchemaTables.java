package dev.fleetlet.server.dashboard;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tables the connected schema has, looked up once per table through the JDBC metadata (either case, as H2
 * and PostgreSQL fold unquoted names differently). The dashboard leaves out what a schema without a feature's
 * tables cannot answer instead of failing the whole page.
 */
final class SchemaTables {

    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    boolean has(Connection c, String table) throws SQLException {
        Boolean cached = known.get(table);
        if (cached != null) {
            return cached;
        }
        DatabaseMetaData md = c.getMetaData();
        boolean found = false;
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = md.getTables(null, null, name, new String[] {"TABLE"})) {
                found |= rs.next();
            }
        }
        known.put(table, found);
        return found;
    }
}
