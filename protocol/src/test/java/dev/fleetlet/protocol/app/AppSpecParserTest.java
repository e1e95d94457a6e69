package dev.fleetlet.protocol.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppSpecParserTest {

    private final AppSpecParser parser = new AppSpecParser();

    private ServiceSpec web(String body) {
        ParseResult r = parser.parseYaml(Specs.web(body), null);
        assertThat(r.problems()).as("problems of %s", body).isEmpty();
        return r.spec().services().get("web");
    }

    private List<String> problems(String yaml) {
        ParseResult r = parser.parseYaml(yaml, null);
        assertThat(r.isOk()).as("expected problems for:%n%s", yaml).isFalse();
        return r.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void readsTheFullWeatherStationExample() {
        // when
        AppSpec app = parser.parseYaml(Specs.WEATHER, null).orElseThrow();

        // then
        assertThat(app.name()).isEqualTo("weather-station");
        assertThat(app.updateStrategy()).isEqualTo(UpdateStrategy.KILL_THEN_DOWNLOAD);
        assertThat(app.services().keySet()).containsExactly("broker", "sampler", "bridge");
        assertThat(app.volumes()).containsOnlyKeys("broker-data");
        assertThat(app.requires().arch()).containsExactly("arm64", "armhf");
        assertThat(app.requires().minMemoryBytes()).isEqualTo(512L << 20);
        assertThat(app.requires().labels()).containsEntry("sensor", "bme280");

        ServiceSpec broker = app.services().get("broker");
        assertThat(broker.command()).containsExactly("mosquitto", "-c", "/mosquitto-no-auth.conf");
        assertThat(broker.volumes()).containsExactly(
                new VolumeMount(VolumeMount.Kind.VOLUME, "broker-data", "/mosquitto/data", false),
                new VolumeMount(VolumeMount.Kind.BIND, "/etc/weather/mosquitto.conf",
                        "/mosquitto/config/mosquitto.conf", true));
        assertThat(broker.cpus()).isEqualByComparingTo("0.25");
        assertThat(broker.healthcheck().test()).startsWith("CMD", "mosquitto_sub");
        assertThat(broker.healthcheck().startPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(broker.isPinned()).isFalse();

        ServiceSpec sampler = app.services().get("sampler");
        assertThat(sampler.isPinned()).isTrue();
        assertThat(sampler.environment()).containsExactly(
                Map.entry("INTERVAL", "10s"), Map.entry("I2C_BUS", "1"), Map.entry("DEBUG", "false"));
        assertThat(sampler.devices()).containsExactly(new DeviceMapping("/dev/i2c-1", null, null),
                new DeviceMapping("/dev/gpiochip0", "/dev/gpiochip0", "rw"));
        assertThat(sampler.memLimitBytes()).isEqualTo(128L << 20);
        assertThat(sampler.restart()).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 5));
        assertThat(sampler.stopGracePeriod()).isEqualTo(Duration.ofSeconds(90));
        assertThat(sampler.dependsOn()).containsEntry("broker", DependencyCondition.SERVICE_HEALTHY);
        assertThat(sampler.volumes()).containsExactly(new VolumeMount(VolumeMount.Kind.TMPFS, null, "/tmp", false));
        assertThat(sampler.readOnly()).isTrue();
        assertThat(sampler.capDrop()).containsExactly("ALL");

        ServiceSpec bridge = app.services().get("bridge");
        assertThat(bridge.networkMode()).isEqualTo(NetworkMode.HOST);
        assertThat(bridge.healthcheck().test())
                .containsExactly("CMD-SHELL", "curl -fs http://localhost:8080/health || exit 1");
        assertThat(bridge.dependsOn()).containsEntry("broker", DependencyCondition.SERVICE_STARTED);
        assertThat(bridge.environment()).containsEntry("UPSTREAM_TOPIC", "weather/kitchen");
        assertThat(app.hostNetworkServices()).containsExactly("bridge");
    }

    @Test
    void takesTheCallersNameWhenTheDocumentHasNone() {
        // given
        String yaml = "services:\n  web:\n    image: nginx\n";

        // when / then
        assertThat(parser.parseYaml(yaml, "from-release").orElseThrow().name()).isEqualTo("from-release");
        assertThat(problems(yaml)).containsExactly("name: required");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mem_limit: 64m      | 67108864
            mem_limit: 1g       | 1073741824
            mem_limit: 512k     | 
            mem_limit: 8388608  | 8388608
            mem_limit: 64MB     | 67108864
            """)
    void acceptsComposeByteSizes(String line, Long expected) {
        if (expected == null) {
            assertThat(problems(Specs.web(line))).containsExactly("services.web.mem_limit: must be at least 4m, was \"512k\"");
            return;
        }
        assertThat(web(line).memLimitBytes()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mem_limit: lots                         | services.web.mem_limit: expected a byte size like 64m or 1g, was "lots"
            mem_limit: -5                           | services.web.mem_limit: expected a byte size like 64m or 1g, was -5
            memswap_limit: 64m                      | services.web.memswap_limit: requires mem_limit
            cpus: 0                                 | services.web.cpus: expected a positive number of CPUs like 0.5 or 2 (at most 3 decimals), was 0
            cpus: half                              | services.web.cpus: expected a positive number of CPUs like 0.5 or 2 (at most 3 decimals), was "half"
            pids_limit: 0                           | services.web.pids_limit: must be positive, or -1 for unlimited
            pids_limit: many                        | services.web.pids_limit: expected a whole number from -1 to 4194304, was "many"
            ports: ['80:80']                        | services.web.ports: not supported by Fleetlet (see docs/app-spec.md)
            build: .                                | services.web.build: not supported by Fleetlet (see docs/app-spec.md)
            networks: [front]                       | services.web.networks: not supported by Fleetlet (see docs/app-spec.md)
            deploy: {}                              | services.web.deploy: not supported by Fleetlet (see docs/app-spec.md)
            colour: blue                            | services.web.colour: unknown key
            network_mode: bridge                    | services.web.network_mode: only host is supported (leave it out for the app's own network), was "bridge"
            restart: sometimes                      | services.web.restart: expected no, always, on-failure[:max] or unless-stopped, was "sometimes"
            restart: always:3                       | services.web.restart: expected no, always, on-failure[:max] or unless-stopped, was "always:3"
            environment: {URL: 'http://${HOST}/x'}  | services.web.environment.URL: variable interpolation (${VAR}) is not supported; write the value literally, or $$ for a literal $
            environment: [HOME]                     | services.web.environment[0]: expected KEY=VALUE, was "HOME" (passing a variable through from the host is not supported)
            environment: {9X: a}                    | services.web.environment.9X: not a valid variable name
            environment: {A: {b: 1}}                | services.web.environment.A: expected a scalar value, was a mapping
            volumes: ['/data:/data']                | services.web.volumes[0]: bind mount /data must be read-only (add :ro)
            volumes: ['/data:/data:rw']             | services.web.volumes[0]: bind mount /data must be read-only (add :ro)
            volumes: ['./conf:/conf:ro']            | services.web.volumes[0]: relative host paths are not supported; use an absolute path with :ro or a named volume
            volumes: ['logs:/var/log']              | services.web.volumes[0]: named volume logs is not declared under the top-level volumes key
            volumes: ['data:relative']              | services.web.volumes[0]: container path must be absolute, was "relative"
            volumes: ['data:/x:zz']                 | services.web.volumes[0]: mode must be ro or rw, was "zz"
            volumes: [{type: bind, source: /etc/x, target: /x}] | services.web.volumes[0]: bind mount /etc/x must be read-only (add :ro)
            devices: [/dev/i2c-1:/dev/i2c-1:rwx]    | services.web.devices[0]: expected /dev/host[:/dev/container[:rwm]], was "/dev/i2c-1:/dev/i2c-1:rwx"
            devices: [/sys/class/gpio]              | services.web.devices[0]: expected /dev/host[:/dev/container[:rwm]], was "/sys/class/gpio"
            cap_add: [NET_BIND_SERVICE, FLY]        | services.web.cap_add[1]: not a Linux capability: "FLY"
            cap_add: [ALL]                          | services.web.cap_add[0]: not a Linux capability: "ALL"
            healthcheck: {test: [PING]}             | services.web.healthcheck.test: expected ["CMD", exe, args...], ["CMD-SHELL", "command line"] or ["NONE"]
            healthcheck: {test: [CMD]}              | services.web.healthcheck.test: expected ["CMD", exe, args...], ["CMD-SHELL", "command line"] or ["NONE"]
            healthcheck: {interval: 10s}            | services.web.healthcheck.test: required unless disable: true
            healthcheck: {test: x, interval: 1.5m}  | services.web.healthcheck.interval: expected a duration like 1m30s, 10s or 500ms, was "1.5m"
            healthcheck: {test: x, retries: 0}      | services.web.healthcheck.retries: expected a whole number from 1 to 1000, was 0
            healthcheck: {test: x, start_interval: 1s} | services.web.healthcheck.start_interval: not supported by Fleetlet (see docs/app-spec.md)
            depends_on: [db]                        | services.web.depends_on: unknown service db
            depends_on: [web]                       | services.web.depends_on: a service cannot depend on itself
            depends_on: {db: {condition: service_completed_successfully}} | services.web.depends_on.db.condition: expected service_started or service_healthy, was "service_completed_successfully"
            command: 'echo "unterminated'           | services.web.command: unterminated double quote in "echo \\"unterminated"
            command: 42                             | services.web.command: expected a string or a list of strings, was 42
            user: 'root; rm'                        | services.web.user: expected a user name or uid, optionally :group or :gid, was "root; rm"
            working_dir: app                        | services.web.working_dir: expected an absolute path, was "app"
            stop_grace_period: soon                 | services.web.stop_grace_period: expected a duration like 1m30s, 10s or 500ms, was "soon"
            read_only: yes please                   | services.web.read_only: expected true or false, was "yes please"
            tmpfs: [tmp]                            | services.web.tmpfs[0]: expected an absolute container path, was "tmp"
            labels: [novalue]                       | services.web.labels[0]: expected KEY=VALUE, was "novalue" (passing a variable through from the host is not supported)
            """)
    void rejectsABadServiceKeyNamingItsPath(String line, String expected) {
        assertThat(problems(Specs.web(line))).containsExactly(expected.replace("\\\\", "\\"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            command: echo 'a b' "c \\"d\\"" e\\ f | echo,a b,c "d",e f
            command: [sh, -c, 'echo $$x']        | sh,-c,echo $$x
            entrypoint: /bin/run --fast          | /bin/run,--fast
            """)
    void splitsCommandsLikeAShellWithoutExpansion(String line, String words) {
        ServiceSpec s = web(line.replace("\\\\", "\\"));
        List<String> got = line.startsWith("entrypoint") ? s.entrypoint() : s.command();
        assertThat(got).containsExactly(words.split(","));
    }

    @Test
    void acceptsEveryServiceKeyInItsAlternativeForms() {
        assertThat(web("environment: [A=1, B=x=y, C=]").environment())
                .containsExactly(Map.entry("A", "1"), Map.entry("B", "x=y"), Map.entry("C", ""));
        assertThat(web("environment: {PRICE: '$$5'}").environment()).containsEntry("PRICE", "$5");
        assertThat(web("labels: [a=b]").labels()).containsEntry("a", "b");
        assertThat(web("restart: no").restart()).isEqualTo(RestartPolicy.NO);
        assertThat(web("restart: on-failure").restart()).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, null));
        assertThat(web("cpus: '1.50'").cpus()).isEqualTo(new BigDecimal("1.5"));
        assertThat(web("cpus: 2").cpus()).isEqualTo(new BigDecimal("2"));
        assertThat(web("memswap_limit: -1\nmem_limit: 64m").memswapLimitBytes()).isEqualTo(-1L);
        assertThat(web("volumes: ['data:/d:ro']").volumes())
                .containsExactly(new VolumeMount(VolumeMount.Kind.VOLUME, "data", "/d", true));
        assertThat(web("volumes: [{type: volume, source: data, target: /d}]").volumes())
                .containsExactly(new VolumeMount(VolumeMount.Kind.VOLUME, "data", "/d", false));
        assertThat(web("volumes: [{type: bind, source: /etc/a, target: /a, read_only: true}]").volumes())
                .containsExactly(new VolumeMount(VolumeMount.Kind.BIND, "/etc/a", "/a", true));
        assertThat(web("tmpfs: /run").volumes()).containsExactly(new VolumeMount(VolumeMount.Kind.TMPFS, null, "/run", false));
        assertThat(web("devices: [/dev/i2c-1:/dev/i2c-7]").devices())
                .containsExactly(new DeviceMapping("/dev/i2c-1", "/dev/i2c-7", "rwm"));
        assertThat(web("devices: [/dev/ttyUSB0:r]").devices())
                .containsExactly(new DeviceMapping("/dev/ttyUSB0", "/dev/ttyUSB0", "r"));
        assertThat(web("healthcheck: {test: [NONE]}").healthcheck().disabled()).isTrue();
        assertThat(web("healthcheck: {disable: true}").healthcheck().test()).containsExactly("NONE");
        assertThat(web("healthcheck: {test: [CMD-SHELL, 'pgrep x'], timeout: 500ms}").healthcheck().timeout())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(web("cap_add: [cap_sys_time]").capAdd()).containsExactly("SYS_TIME");
        assertThat(web("stop_signal: SIGUSR1").stopSignal()).isEqualTo("SIGUSR1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            'name: d\nservices: {}'                               | services: required: at least one service
            'name: Demo\nservices: {a: {image: x}}'                | name: must match [a-z0-9][a-z0-9_-]{0,62}, was "Demo"
            'name: d\nservices: {Web: {image: x}}'                 | services.Web: service name must match [a-z0-9][a-z0-9_-]{0,62}
            'name: d\nservices: {web: {command: x}}'               | services.web.image: required
            'name: d\nservices: {web: {image: "Not An Image"}}'    | services.web.image: not a valid image reference: "Not An Image"
            'name: d\nservices: {web: {image: x}}\nnetworks: {}'   | networks: not supported by Fleetlet (see docs/app-spec.md)
            'name: d\nservices: {web: {image: x}}\nfoo: 1'         | foo: unknown key
            'name: d\nservices: {web: {image: x}}\nvolumes: {v: {driver: nfs}}' | volumes.v.driver: not supported by Fleetlet (see docs/app-spec.md)
            'name: d\nservices: {web: {image: x}}\nx-fleetlet: {update_strategy: yolo}' | x-fleetlet.update_strategy: expected download-then-kill, kill-then-download or hand-over, was "yolo"
            'name: d\nservices: {web: {image: x}}\nx-fleetlet: {requires: {arch: [arm64, arm64]}}' | x-fleetlet.requires.arch[1]: duplicate architecture arm64
            'name: d\nservices: {web: {image: x}}\nx-fleetlet: {requires: {min_memory: big}}' | x-fleetlet.requires.min_memory: expected a byte size like 64m or 1g, was "big"
            'name: d\nservices: {web: {image: x}}\nx-fleetlet: {rollout: fast}' | x-fleetlet.rollout: unknown key
            '[1, 2]'                                               | (document): expected a mapping, was a list
            """)
    void rejectsBadTopLevelKeys(String yaml, String expected) {
        List<String> got = problems(yaml.replace("\\n", "\n"));
        assertThat(got).containsExactly(expected.startsWith("(document): ") ? expected.substring(12) : expected);
    }

    @Test
    void rejectsDependencyCyclesNamingTheCycle() {
        String yaml = """
                name: d
                services:
                  a: {image: x, depends_on: [b]}
                  b: {image: x, depends_on: {c: {condition: service_healthy}}}
                  c: {image: x, depends_on: [a]}
                """;
        assertThat(problems(yaml)).containsExactly("services.a.depends_on: dependency cycle: a -> b -> c -> a");
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() {
        String yaml = """
                name: d
                services:
                  web: {image: x, mem_limit: lots, ports: ['80:80']}
                  db: {image: y, volumes: ['/data:/data']}
                """;
        assertThat(problems(yaml)).containsExactly(
                "services.web.ports: not supported by Fleetlet (see docs/app-spec.md)",
                "services.web.mem_limit: expected a byte size like 64m or 1g, was \"lots\"",
                "services.db.volumes[0]: bind mount /data must be read-only (add :ro)");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            'name: d\nname: e\nservices: {w: {image: x}}'          | duplicate key
            'name: d\nservices: {w: {image: x, labels: {1: a}}}'   | key 1 must be a string (quote it)
            'name: d\nservices: {w: {image: x, labels: {? [a] : b}}}' | must be a string
            'name: d\nservices: {w: &w {image: x}, v: {<<: *w}}'  | merge keys
            'name: d\nservices: {w: {image: !!binary aGk=}}'       | tag
            'name: d\nservices: [w'                                | not valid YAML
            ''                                                     | document is empty
            """)
    void rejectsUnsafeOrAmbiguousYaml(String yaml, String expectedFragment) {
        List<String> got = problems(yaml == null ? "" : yaml.replace("\\n", "\n"));
        assertThat(got).singleElement().asString().contains(expectedFragment);
    }

    @Test
    void rejectsABillionLaughsDocumentQuickly() {
        // given: 9 levels of 9 aliases each, 387 million strings if expanded
        StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        // when
        long start = System.nanoTime();
        List<String> got = problems(y.toString());
        // then
        assertThat(got).singleElement().asString().containsAnyOf("aliases", "alias");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void rejectsDocumentsOverTheSizeLimit() {
        String big = "name: d\nservices: {w: {image: x}}\n#" + "x".repeat(300 * 1024);
        assertThat(problems(big)).singleElement().asString().contains("limit is 262144");
    }

    @Test
    void parsesJsonLikeYaml() throws Exception {
        String json = "{\"name\":\"d\",\"services\":{\"w\":{\"image\":\"x\",\"cpus\":0.5}}}";
        AppSpec a = parser.parseYaml(json, null).orElseThrow();
        AppSpec b = parser.parseJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), null).orElseThrow();
        assertThat(a).isEqualTo(b);
        assertThat(parser.parseJson(null, null).problems()).extracting(Problem::toString)
                .containsExactly("expected a mapping, was null");
    }
}
