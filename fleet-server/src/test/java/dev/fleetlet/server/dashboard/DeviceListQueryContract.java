package dev.fleetlet.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.DeviceStatus;
import dev.fleetlet.server.device.selector.Selector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's device list on a real schema (H2 and PostgreSQL): search text is matched literally (no LIKE
 * wildcards, no SQL), selectors and status filter, paging and totals.
 */
abstract class DeviceListQueryContract {

    static final Instant T = Instant.parse("2026-05-04T08:00:00Z");

    protected abstract DataSource dataSource();

    Jdbc jdbc;
    DashboardQueries queries;

    @BeforeEach
    void schema() {
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").cleanDisabled(false).load()
                .clean();
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
        jdbc = new Jdbc(dataSource());
        queries = new DashboardQueries(jdbc, Clock.fixed(T, ZoneOffset.UTC), Duration.ofHours(1), Duration.ZERO);
        device("dev-01", "plain one", "SN-1", true, "env", "prod");
        device("dev-02", "100% sure", "SN-2", true, "env", "prod");
        device("dev-03", "under_score", "SN-3", false, "env", "test");
        device("dev-04", "back\\slash", "SN-4", true, "env", "test");
        device("dev-05", "o'quote", "SN-5", false, "env", "prod");
    }

    private void device(String id, String name, String serial, boolean online, String key, String value) {
        jdbc.update("INSERT INTO devices (id, serial, name, fleet, lifecycle, online, enrolled_at, updated_at) "
                + "VALUES (?, ?, ?, 'default', 'ACTIVE', ?, ?, ?)", id, serial, name, online, T, T);
        jdbc.update("INSERT INTO device_labels (device_id, label_key, label_value) VALUES (?, ?, ?)", id, key, value);
    }

    private Page<DashboardQueries.DeviceRow> search(String q) {
        return queries.devices(q, Selector.parse(""), null, 0, 50);
    }

    @Test
    void searchMatchesLikeWildcardsAndQuotesLiterally() {
        assertThat(search("%").items()).extracting(DashboardQueries.DeviceRow::id).containsExactly("dev-02");
        assertThat(search("_").items()).extracting(DashboardQueries.DeviceRow::id).containsExactly("dev-03");
        assertThat(search("\\").items()).extracting(DashboardQueries.DeviceRow::id).containsExactly("dev-04");
        assertThat(search("o'q").items()).extracting(DashboardQueries.DeviceRow::id).containsExactly("dev-05");
        assertThat(search("PLAIN").items()).extracting(DashboardQueries.DeviceRow::id).containsExactly("dev-01");
    }

    @Test
    void searchTextIsNeverSql() {
        assertThat(search("' OR '1'='1").total()).isZero();
        assertThat(search("x' OR 1=1 --").items()).isEmpty();
        assertThat(search("'); DELETE FROM devices; --").total()).isZero();
        assertThat(jdbc.query("SELECT COUNT(*) FROM devices", rs -> rs.getLong(1))).containsExactly(5L);
    }

    @Test
    void cachedTotalsOfSearchesStayBounded() {
        // given a list query that keeps totals for a minute
        DeviceListQuery list = new DeviceListQuery(Duration.ofMinutes(1), new SchemaTables());

        // when 1,500 different searches that match devices are made
        jdbc.tx(c -> {
            for (int i = 0; i < 1500; i++) {
                list.page(c, "dev", Selector.parse("env notin (x" + i + ")"), null, 0, 10);
            }
            return null;
        });

        // then the cache of totals did not grow with them
        assertThat(list.cachedTotals()).isLessThanOrEqualTo(1001);
    }

    @Test
    void selectorStatusAndPagingGiveOnePageAndTheTotal() {
        Page<DashboardQueries.DeviceRow> first = queries.devices(null, Selector.parse("env=prod"), DeviceStatus.OFFLINE, 0, 1);
        assertThat(first.total()).isEqualTo(1);
        assertThat(first.items()).extracting(DashboardQueries.DeviceRow::id).containsExactly("dev-05");

        Page<DashboardQueries.DeviceRow> second = queries.devices("dev", Selector.parse("env in (prod,test),env!=test"),
                null, 1, 2);
        assertThat(second.total()).isEqualTo(3);
        assertThat(second.items()).extracting(DashboardQueries.DeviceRow::id).containsExactly("dev-05");
        assertThat(second.items().get(0).labels()).containsEntry("env", "prod");

        assertThat(queries.devices(null, Selector.parse("env=none"), null, 0, 50).items()).isEmpty();
        assertThat(queries.devices("dev", Selector.parse(""), null, 7, 50).items()).isEmpty();
    }
}
