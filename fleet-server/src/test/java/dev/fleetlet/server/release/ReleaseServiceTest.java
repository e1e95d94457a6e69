package dev.fleetlet.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Problem;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.selector.Selector;
import dev.fleetlet.server.release.ImageResolutionException.Kind;
import dev.fleetlet.server.release.internal.JdbcReleaseRepository;
import dev.fleetlet.server.release.internal.ProtocolAppSpecs;
import dev.fleetlet.server.release.internal.RepositoryReleaseCatalog;
import dev.fleetlet.server.release.internal.TableReleaseReferences;
import dev.fleetlet.server.rollout.CatalogRelease;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReleaseServiceTest {

    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final String COMPOSE = """
            services:
              web:
                image: registry.lan:5000/web:v1
                environment:
                  MODE: fast
              worker:
                image: registry.lan:5000/web:v1
                command: ["worker"]
              cache:
                image: registry.lan:5000/cache:7
            x-fleetlet:
              requires:
                arch: [arm64, armhf]
                labels:
                  camera: present
                min_memory: 512m
            """;

    private Jdbc jdbc;
    private ScriptedImageResolver registry;
    private ReleaseService service;
    private JdbcReleaseRepository repository;

    private static JdbcDataSource dataSource;

    @BeforeAll
    static void migrate() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:release-service-test;DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        new Jdbc(dataSource).update("CREATE TABLE test_pins (device_id VARCHAR(64), release_id VARCHAR(128))");
    }

    @BeforeEach
    void setUp() {
        jdbc = new Jdbc(dataSource);
        for (String table : List.of("test_pins", "release_images", "releases")) {
            jdbc.update("DELETE FROM " + table);
        }
        registry = new ScriptedImageResolver().digest("registry.lan:5000/web:v1", D1).digest("registry.lan:5000/cache:7", D2);
        repository = new JdbcReleaseRepository(jdbc);
        service = new ReleaseService(repository, new ProtocolAppSpecs(), registry,
                new TableReleaseReferences(jdbc, List.of("test_pins")),
                Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));
    }

    private ReleaseService.Created create(String name, String version, String compose) {
        return service.create(new CreateReleaseRequest(name, version, compose, "notes"), "otto");
    }

    private static ApiException apiError(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected an ApiException");
    }

    @Test
    void pinsEveryImageOnceAndKeepsTheOriginalCompose() {
        // when
        ReleaseService.Created result = create("sensor-hub", "1.4.0", COMPOSE);
        // then
        ReleaseDetail r = result.release();
        assertThat(result.created()).isTrue();
        assertThat(r.id()).isEqualTo("sensor-hub-1.4.0");
        assertThat(r.compose()).isEqualTo(COMPOSE);
        assertThat(registry.calls).as("one lookup per distinct image")
                .containsExactlyInAnyOrder("registry.lan:5000/web:v1", "registry.lan:5000/cache:7");
        assertThat(r.images()).extracting(PinnedImage::service, PinnedImage::digest)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("web", D1),
                        org.assertj.core.groups.Tuple.tuple("worker", D1), org.assertj.core.groups.Tuple.tuple("cache", D2));
        StoredRelease stored = repository.find(r.id()).orElseThrow();
        assertThat(stored.specJson()).contains("registry.lan:5000/web:v1@" + D1).contains("registry.lan:5000/cache:7@" + D2)
                .doesNotContain("web:v1\"");
        assertThat(stored.specDigest()).isEqualTo(ReleaseService.sha256(stored.specJson()));
        assertThat(r.requires()).isEqualTo(new ReleaseRequirements(List.of("arm64", "armhf"), "camera=present", 512L));
        assertThat(r.createdBy()).isEqualTo("otto");
        assertThat(r.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void repeatingTheSameCreateIsIdempotentAndDoesNotAskTheRegistryAgain() {
        ReleaseDetail first = create("sensor-hub", "1.4.0", COMPOSE).release();
        int lookups = registry.calls.size();
        // when: same spec, different whitespace and key order
        String reordered = COMPOSE.replace("services:\n", "services:\n\n");
        ReleaseService.Created again = create("sensor-hub", "1.4.0", reordered);
        // then
        assertThat(again.created()).isFalse();
        assertThat(again.release().id()).isEqualTo(first.id());
        assertThat(again.release().specDigest()).isEqualTo(first.specDigest());
        assertThat(registry.calls).hasSize(lookups);
    }

    @Test
    void refusesTheSameNameAndVersionWithAnotherSpec() {
        create("sensor-hub", "1.4.0", COMPOSE);
        ApiException e = apiError(() -> create("sensor-hub", "1.4.0", COMPOSE.replace("fast", "slow")));
        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.getMessage()).contains("sensor-hub 1.4.0").contains("immutable");
    }

    @Test
    void reportsEverySpecProblemWithItsKeyPath() {
        ApiException e = apiError(() -> create("app", "1", """
                services:
                  web:
                    image: nginx:1
                    colour: blue
                    ports: [not-a-port]
                """));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(e.errors()).extracting(Problem.FieldError::field)
                .contains("services.web.colour").anySatisfy(f -> assertThat(f).startsWith("services.web.ports"));
        assertThat(registry.calls).isEmpty();
        assertThat(apiError(() -> create("app", "1", "services: [\n")).errors()).isNotEmpty();
    }

    @Test
    void namesTheServiceAndImageOfAnUnknownTag() {
        ApiException e = apiError(() -> create("app", "1", """
                services:
                  web:
                    image: registry.lan:5000/web:v1
                  api:
                    image: registry.lan:5000/api:nope
                """));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("services.api.image");
        assertThat(e.getMessage()).contains("service api").contains("registry.lan:5000/api:nope");
        assertThat(repository.list(null, 0, 10).total()).isZero();
    }

    @Test
    void answers502WhenTheRegistryIsDownOrRefusesTheCredentials() {
        registry.fail("registry.lan:5000/web:v1", Kind.UNAVAILABLE, "registry registry.lan:5000 unreachable (connection refused)");
        ApiException down = apiError(() -> create("app", "1", "services:\n  web:\n    image: registry.lan:5000/web:v1\n"));
        assertThat(down.code()).isEqualTo(ErrorCode.REGISTRY_UNAVAILABLE);
        assertThat(down.code().status().getCode()).isEqualTo(502);
        assertThat(down.getMessage()).contains("registry.lan:5000/web:v1").contains("unreachable");

        registry.fail("registry.lan:5000/web:v1", Kind.UNAUTHORIZED, "registry registry.lan:5000 refused access");
        ApiException refused = apiError(() -> create("app", "1", "services:\n  web:\n    image: registry.lan:5000/web:v1\n"));
        assertThat(refused.code()).isEqualTo(ErrorCode.REGISTRY_UNAUTHORIZED);
        assertThat(refused.getMessage()).contains("/api/v1/registries");
        assertThat(repository.list(null, 0, 10).total()).isZero();
    }

    @Test
    void rejectsNamesAndVersionsThatCannotBeIdsNamingTheField() {
        ApiException e = apiError(() -> create("Sensor Hub", "1 0", COMPOSE));
        assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("name", "version");
    }

    @Test
    void derivesTheIdFromNameAndVersionAndAddsASuffixOnAClash() {
        assertThat(ReleaseService.sanitize("app-1.0+build.5")).isEqualTo("app-1.0-build.5");
        String first = create("a-b", "c", COMPOSE).release().id();
        String second = create("a", "b-c", COMPOSE).release().id();
        assertThat(first).isEqualTo("a-b-c");
        assertThat(second).startsWith("a-b-c-").hasSize("a-b-c-".length() + 6);
    }

    @Test
    void deletesOnlyAReleaseNothingRefersTo() {
        String id = create("app", "1", COMPOSE).release().id();
        jdbc.update("INSERT INTO test_pins VALUES ('dev-1', ?)", id);

        ApiException inUse = apiError(() -> service.delete(id, "otto"));
        assertThat(inUse.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(inUse.getMessage()).contains("1 row of test_pins");

        jdbc.update("DELETE FROM test_pins");
        service.delete(id, "otto");
        assertThat(apiError(() -> service.get(id)).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void diffsTwoReleasesThatDifferOnlyInConfig() {
        String a = create("app", "1", COMPOSE).release().id();
        String b = create("app", "2", COMPOSE.replace("MODE: fast", "MODE: slow")).release().id();
        ReleaseDiff diff = service.diff(a, b);
        assertThat(diff.from()).isEqualTo(a);
        assertThat(diff.to()).isEqualTo(b);
        assertThat(diff.changes()).containsExactly(
                new ReleaseDiff.Change("services.web.environment.MODE", "CHANGED", "fast", "slow"));
        assertThat(service.diff(a, a).changes()).isEmpty();
        assertThat(apiError(() -> service.diff(a, "missing")).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void servesTheRolloutEngineThePinnedReleaseAndItsCapabilities() {
        String id = create("app", "1", COMPOSE).release().id();
        CatalogRelease found = new RepositoryReleaseCatalog(repository).find(id).orElseThrow();
        JsonNode spec = found.release().spec();
        assertThat(found.release().id()).isEqualTo(id);
        assertThat(found.release().version()).isEqualTo("1");
        assertThat(spec.toString()).contains("registry.lan:5000/web:v1@" + D1);
        assertThat(found.requires().architectures()).isEqualTo(Set.of("arm64", "armhf"));
        assertThat(found.requires().labels().matches(Map.of("camera", "present"))).isTrue();
        assertThat(found.requires().labels()).isNotEqualTo(Selector.ALL);
        assertThat(found.requires().minMemoryMb()).isEqualTo(512L);
        assertThat(new RepositoryReleaseCatalog(repository).find("nope")).isEmpty();
        assertThat(new RepositoryReleaseCatalog(repository).find(null)).isEmpty();
    }

    @Test
    void theCatalogsReleaseIsADesiredStateDevicesAccept() {
        // given
        String id = create("app", "1", COMPOSE).release().id();
        CatalogRelease found = new RepositoryReleaseCatalog(repository).find(id).orElseThrow();
        ProtocolCodec codec = new ProtocolCodec();
        DesiredState state = new DesiredState(1, "dev-1", 7, Instant.parse("2026-03-01T10:00:00Z"), found.release(), Map.of());
        // when
        Decoded<DesiredState> decoded = codec.decode(MessageType.DESIRED_STATE, "dev-1",
                codec.encode(MessageType.DESIRED_STATE, state));
        // then
        assertThat(decoded).as(decoded.toString()).isInstanceOf(Decoded.Ok.class);
        assertThat(((Decoded.Ok<DesiredState>) decoded).value().release().spec()).isEqualTo(found.release().spec());
    }
    @Test
    void derivesAConfigOnlyReleaseWithTheSameDigestsWithoutAskingTheRegistry() {
        // given a release and the registry calls its creation needed
        ReleaseDetail source = create("sensor-hub", "1.4.0", COMPOSE).release();
        int lookups = registry.calls.size();
        Map<String, String> web = new java.util.HashMap<>();
        web.put("MODE", "slow");
        web.put("LEVEL", "3");

        // when only the web service's environment changes
        ReleaseService.Created derived = service.derive(source.id(),
                new DeriveReleaseRequest("1.4.1", Map.of("web", web), "slower"), "otto");

        // then a new release with the same digests, the new environment, and no registry call
        ReleaseDetail r = derived.release();
        assertThat(derived.created()).isTrue();
        assertThat(r.id()).isEqualTo("sensor-hub-1.4.1");
        assertThat(r.name()).isEqualTo("sensor-hub");
        assertThat(registry.calls).hasSize(lookups);
        assertThat(r.images()).isEqualTo(source.images());
        assertThat(r.requires()).isEqualTo(source.requires());
        CatalogRelease found = new RepositoryReleaseCatalog(repository).find(r.id()).orElseThrow();
        JsonNode spec = found.release().spec();
        assertThat(spec.path("services").path("web").path("environment").path("MODE").asText()).isEqualTo("slow");
        assertThat(spec.path("services").path("web").path("environment").path("LEVEL").asText()).isEqualTo("3");
        assertThat(spec.path("services").path("web").path("image").asText()).isEqualTo("registry.lan:5000/web:v1@" + D1);
        assertThat(spec.path("services").path("worker")).isEqualTo(
                new RepositoryReleaseCatalog(repository).find(source.id()).orElseThrow().release().spec()
                        .path("services").path("worker"));
        Decoded<DesiredState> decoded = new ProtocolCodec().decode(MessageType.DESIRED_STATE, new ProtocolCodec()
                .encodeDesiredState(new DesiredState(1, "pi-01", 1, Instant.now(), found.release(), Map.of())));
        assertThat(decoded.isOk()).as("%s", decoded).isTrue();
        // and deriving the same again answers the existing release
        assertThat(service.derive(source.id(), new DeriveReleaseRequest("1.4.1", Map.of("web", web), null), "otto")
                .created()).isFalse();
    }

    @Test
    void aDerivedReleaseCanRemoveAVariable() {
        ReleaseDetail source = create("sensor-hub", "1.4.0", COMPOSE).release();
        Map<String, String> remove = new java.util.HashMap<>();
        remove.put("MODE", null);

        ReleaseDetail r = service.derive(source.id(), new DeriveReleaseRequest("1.4.2", Map.of("web", remove), null), "otto")
                .release();

        JsonNode web = new RepositoryReleaseCatalog(repository).find(r.id()).orElseThrow().release().spec()
                .path("services").path("web");
        assertThat(web.path("environment").path("MODE").isMissingNode()).isTrue();
    }

    @Test
    void refusesToDeriveNamingTheField() {
        String id = create("sensor-hub", "1.4.0", COMPOSE).release().id();

        ApiException unknownService = apiError(() -> service.derive(id,
                new DeriveReleaseRequest("1.5", Map.of("db", Map.of("A", "1")), null), "otto"));
        ApiException badVersion = apiError(() -> service.derive(id,
                new DeriveReleaseRequest("not a version", Map.of(), null), "otto"));
        ApiException badKey = apiError(() -> service.derive(id,
                new DeriveReleaseRequest("1.6", Map.of("web", Map.of("", "1")), null), "otto"));
        ApiException noSource = apiError(() -> service.derive("missing", new DeriveReleaseRequest("1.7", Map.of(), null),
                "otto"));

        assertThat(unknownService.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(unknownService.getMessage()).contains("environment.db");
        assertThat(badVersion.getMessage()).contains("version");
        assertThat(badKey.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(noSource.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(registry.calls).hasSize(2);
    }
}
