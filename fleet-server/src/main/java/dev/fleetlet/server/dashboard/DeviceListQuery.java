package dev.fleetlet.server.dashboard;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.dashboard.DashboardQueries.DeviceRow;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.DeviceStatus;
import dev.fleetlet.server.device.selector.Requirement;
import dev.fleetlet.server.device.selector.Selector;
import dev.fleetlet.server.device.selector.SelectorSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The dashboard's device list: search, label selector and status filters over the device and label tables. */
final class DeviceListQuery {

    private final Duration countTtl;
    private final SchemaTables tables;
    private final Map<String, CachedCount> counts = new ConcurrentHashMap<>();

    /**
     * @param countTtl how long the total of one filter is reused while paging through its result
     * @param tables   the schema's tables (releases are added when reported state is stored)
     */
    DeviceListQuery(Duration countTtl, SchemaTables tables) {
        this.countTtl = countTtl;
        this.tables = tables;
    }

    /**
     * One page of devices matching a free-text search over id, name and serial (case-insensitive substring), a
     * label selector and a status, ordered by id, with the total.
     *
     * <p>A selector with a positive requirement ({@code k=v}, {@code k in (...)}) is answered from the label index:
     * the requirement matching the fewest label rows drives the query and the others are checked per candidate,
     * instead of checking every requirement for every device (27 ms of CPU against 4 ms at 10,000 devices for
     * {@code env=prod,site=site-7}). A search fetches the page and its total in one scan. Totals are cached for
     * {@code fleetlet.dashboard.overview-ttl} (2 s) per filter, so paging through one result does not count again.
     */
    Page<DeviceRow> page(Connection c, String query, Selector selector, DeviceStatus status, int page, int size)
            throws SQLException {
        StringBuilder from = new StringBuilder("devices d");
        List<Object> params = new ArrayList<>();
        Selector rest = selector;
        Requirement driver = driver(c, selector);
        if (driver != null) {
            List<String> values = driver instanceof Requirement.Equals eq ? List.of(eq.value())
                    : ((Requirement.In) driver).values();
            from.append(" JOIN device_labels drv ON drv.device_id = d.id AND drv.label_key = ? AND drv.label_value IN (")
                    .append(String.join(",", Collections.nCopies(values.size(), "?"))).append(")");
            params.add(key(driver));
            params.addAll(values);
            List<Requirement> others = new ArrayList<>(selector.requirements());
            others.remove(driver);
            rest = new Selector(others);
        }
        SelectorSql.Condition cond = SelectorSql.where(rest, "d.id");
        StringBuilder where = new StringBuilder(cond.sql());
        params.addAll(cond.params());
        boolean search = query != null && !query.isBlank();
        if (search) {
            String like = "%" + query.trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            // ILIKE (H2 and PostgreSQL) rather than LOWER(..) LIKE: half the CPU of the scan
            where.append(" AND (d.id ILIKE ? ESCAPE '\\' OR d.name ILIKE ? ESCAPE '\\' OR d.serial ILIKE ? ESCAPE '\\')");
            params.add(like);
            params.add(like);
            params.add(like);
        }
        if (status != null) {
            where.append(switch (status) {
                case ONLINE -> " AND d.lifecycle = 'ACTIVE' AND d.online = TRUE";
                case OFFLINE -> " AND d.lifecycle = 'ACTIVE' AND d.online = FALSE";
                case DECOMMISSIONED -> " AND d.lifecycle = 'DECOMMISSIONED'";
            });
        }
        String body = " FROM " + from + " WHERE " + where;
        String countSql = "SELECT COUNT(*)" + body;
        String countKey = countSql + params;
        Long total = cachedCount(countKey);
        List<Object> paged = new ArrayList<>(params);
        paged.add((long) page * size);
        paged.add(size);
        List<DeviceRow> rows;
        if (total == null && search) {
            long[] windowTotal = {-1};
            rows = Jdbc.query(c, "SELECT " + DeviceRows.COLUMNS + ", COUNT(*) OVER () AS total_rows" + body
                    + " ORDER BY d.id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", rs -> {
                        windowTotal[0] = rs.getLong("total_rows");
                        return DeviceRows.row(rs);
                    }, paged.toArray());
            if (windowTotal[0] >= 0) {
                total = windowTotal[0];
                remember(countKey, total);
            }
        } else {
            rows = Jdbc.query(c, "SELECT " + DeviceRows.COLUMNS + body + " ORDER BY d.id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    DeviceRows::row, paged.toArray());
        }
        if (total == null) {
            total = Jdbc.query(c, countSql, rs -> rs.getLong(1), params.toArray()).get(0);
            remember(countKey, total);
        }
        rows = DeviceRows.withLabels(c, rows);
        if (!rows.isEmpty() && tables.has(c, "device_reported_state")) {
            rows = DeviceRows.withReleases(c, rows);
        }
        return new Page<>(rows, page, size, total);
    }

    private record CachedCount(long total, long takenNanos) {
    }

    /** Caches a total; the cache is emptied when it holds more than 1,000 (every search text is a key of its own). */
    private void remember(String key, long total) {
        if (counts.size() >= 1000) {
            counts.clear();
        }
        counts.put(key, new CachedCount(total, System.nanoTime()));
    }

    /** Totals held in the cache (for tests). */
    int cachedTotals() {
        return counts.size();
    }

    private Long cachedCount(String key) {
        CachedCount cached = counts.get(key);
        return cached != null && System.nanoTime() - cached.takenNanos() < countTtl.toNanos() ? cached.total() : null;
    }

    /** The positive requirement matching the fewest label rows (one index range count each), or null. */
    private static Requirement driver(Connection c, Selector selector) throws SQLException {
        Requirement best = null;
        long fewest = Long.MAX_VALUE;
        for (Requirement r : selector.requirements()) {
            List<String> values;
            if (r instanceof Requirement.Equals eq) {
                values = List.of(eq.value());
            } else if (r instanceof Requirement.In in) {
                values = in.values();
            } else {
                continue;
            }
            List<Object> p = new ArrayList<>();
            p.add(key(r));
            p.addAll(values);
            long n = Jdbc.query(c, "SELECT COUNT(*) FROM device_labels WHERE label_key = ? AND label_value IN ("
                    + String.join(",", Collections.nCopies(values.size(), "?")) + ")", rs -> rs.getLong(1), p.toArray()).get(0);
            if (n < fewest) {
                fewest = n;
                best = r;
            }
        }
        return best;
    }

    private static String key(Requirement r) {
        return r instanceof Requirement.Equals eq ? eq.key() : ((Requirement.In) r).key();
    }
}
