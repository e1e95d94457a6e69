package dev.fleetlet.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.DuplicateKeyException;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.release.internal.JdbcReleaseRepository;
import dev.fleetlet.server.release.internal.TableReleaseReferences;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The release repository's contract on every supported database; schema from the real migrations. */
abstract class ReleaseRepositoryContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123Z");

    protected abstract DataSource dataSource();

    private Jdbc jdbc;
    private JdbcReleaseRepository releases;

    @BeforeEach
    void migrateAndClean() {
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
        jdbc = new Jdbc(dataSource());
        jdbc.update("DELETE FROM release_images");
        jdbc.update("DELETE FROM releases");
        releases = new JdbcReleaseRepository(jdbc);
    }

    private static StoredRelease release(String id, String name, String version, Instant at) {
        String bigSpec = "{\"services\":{\"web\":{\"image\":\"r/app@sha256:" + "a".repeat(64) + "\",\"environment\":{\"X\":\""
                + "x".repeat(20_000) + "\"}}}}";
        return new StoredRelease(id, name, version, "notes of " + version, bigSpec, "sha256:" + "1".repeat(64),
                "sha256:" + "2".repeat(64), "services:\n  web:\n    image: r/app:" + version + "\n",
                new ReleaseRequirements(List.of("arm64", "arm"), "camera=present", 512L), at, "otto",
                List.of(new PinnedImage("web", "r/app:" + version, "r/app:" + version + "@sha256:" + "a".repeat(64),
                                "sha256:" + "a".repeat(64), "application/vnd.oci.image.index.v1+json"),
                        new PinnedImage("db", "r/db:1", "r/db:1@sha256:" + "b".repeat(64), "sha256:" + "b".repeat(64),
                                "application/vnd.oci.image.manifest.v1+json")));
    }

    @Test
    void storesAndReadsBackEveryFieldIncludingLargeSpecsAndImages() {
        StoredRelease r = release("app-1.0", "app", "1.0", T0);
        releases.insert(r);

        StoredRelease back = releases.find("app-1.0").orElseThrow();
        assertThat(back.specJson()).isEqualTo(r.specJson());
        assertThat(back.compose()).isEqualTo(r.compose());
        assertThat(back.requires()).isEqualTo(r.requires());
        assertThat(back.createdAt()).isEqualTo(T0);
        assertThat(back.images()).extracting(PinnedImage::service).containsExactly("db", "web");
        assertThat(back).usingRecursiveComparison().ignoringFields("images").isEqualTo(r);
        assertThat(releases.findByNameAndVersion("app", "1.0")).contains(back);
        assertThat(releases.find("nope")).isEmpty();
    }

    @Test
    void refusesASecondReleaseWithTheSameIdOrNameAndVersion() {
        releases.insert(release("app-1.0", "app", "1.0", T0));
        assertThatThrownBy(() -> releases.insert(release("app-1.0", "app", "9", T0))).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> releases.insert(release("other", "app", "1.0", T0))).isInstanceOf(DuplicateKeyException.class);
        assertThat(jdbc.query("SELECT COUNT(*) FROM release_images", rs -> rs.getLong(1)).get(0))
                .as("the failed inserts left no image rows").isEqualTo(2L);
    }

    @Test
    void listsNewestFirstPagedAndFilteredByName() {
        for (int i = 0; i < 5; i++) {
            releases.insert(release("app-" + i, "app", String.valueOf(i), T0.plusSeconds(i)));
        }
        releases.insert(release("other-1", "other", "1", T0.plusSeconds(100)));

        Page<StoredRelease> first = releases.list("app", 0, 2);
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.items()).extracting(StoredRelease::id).containsExactly("app-4", "app-3");
        assertThat(releases.list("app", 2, 2).items()).extracting(StoredRelease::id).containsExactly("app-0");
        assertThat(releases.list(null, 0, 10).items()).extracting(StoredRelease::id).first().isEqualTo("other-1");
        assertThat(releases.list(null, 0, 10).total()).isEqualTo(6);
    }

    @Test
    void deletesAReleaseWithItsImages() {
        releases.insert(release("app-1.0", "app", "1.0", T0));
        assertThat(releases.delete("app-1.0")).isTrue();
        assertThat(releases.find("app-1.0")).isEmpty();
        assertThat(jdbc.query("SELECT COUNT(*) FROM release_images", rs -> rs.getLong(1)).get(0)).isZero();
        assertThat(releases.delete("app-1.0")).isFalse();
    }

    @Test
    void findsReferencesInReleaseColumnsOfTablesThatExistAndSkipsOthers() {
        jdbc.update("DROP TABLE IF EXISTS test_pins");
        jdbc.update("CREATE TABLE test_pins (device_id VARCHAR(64) NOT NULL, release_id VARCHAR(128), "
                + "previous_release_id VARCHAR(128), target_release VARCHAR(128), note VARCHAR(64), release_may_run BOOLEAN)");
        jdbc.update("INSERT INTO test_pins VALUES ('d1', 'app-1.0', NULL, NULL, 'app-2.0', TRUE)");
        jdbc.update("INSERT INTO test_pins VALUES ('d2', 'app-1.0', 'app-0.9', 'app-3.0', NULL, FALSE)");
        try {
            TableReleaseReferences refs = new TableReleaseReferences(jdbc, List.of("test_pins", "no_such_table"));
            assertThat(refs.referencesTo("app-1.0")).containsExactly("2 rows of test_pins (release_id)");
            assertThat(refs.referencesTo("app-0.9")).containsExactly("1 row of test_pins (previous_release_id)");
            assertThat(refs.referencesTo("app-3.0")).containsExactly("1 row of test_pins (target_release)");
            assertThat(refs.referencesTo("app-2.0")).as("other columns do not count").isEmpty();
            assertThat(new TableReleaseReferences(jdbc).referencesTo("app-1.0")).as("the real tables hold nothing").isEmpty();
        } finally {
            jdbc.update("DROP TABLE test_pins");
        }
    }

    @Test
    void seesPinsDesiredStatesAndRolloutDevicesOfTheRolloutMigration() {
        TableReleaseReferences refs = new TableReleaseReferences(jdbc);
        jdbc.update("DELETE FROM device_pins");
        jdbc.update("DELETE FROM device_desired_state");
        try {
            jdbc.update("INSERT INTO device_pins (device_id, release_id, pinned_by, pinned_at) VALUES ('d1', 'cam-1', 'otto', ?)", T0);
            jdbc.update("INSERT INTO device_desired_state (device_id, generation, release_id, config, cause, updated_at) "
                    + "VALUES ('d2', 1, 'cam-1', '{}', 'test', ?)", T0);
            assertThat(refs.referencesTo("cam-1")).containsExactly("1 row of device_pins (release_id)",
                    "1 row of device_desired_state (release_id)");
            assertThat(refs.referencesTo("cam-2")).isEmpty();
        } finally {
            jdbc.update("DELETE FROM device_pins");
            jdbc.update("DELETE FROM device_desired_state");
        }
    }
}
