package dev.fleetlet.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUnitTest {

    @TempDir
    Path root;

    @Test
    void environmentFileOverridesEnvironmentAndAMissingOptionalFileIsSkipped() throws IOException {
        // given
        Files.createDirectories(root.resolve("etc/default"));
        Files.writeString(root.resolve("etc/default/agent"), "# comment\nB=\"from file\"\n\nC='single'\n");
        SystemdUnit unit = SystemdUnit.parse("""
                [Service]
                Environment=A=1 "B=from unit"
                EnvironmentFile=-/etc/default/agent
                EnvironmentFile=-/etc/default/absent
                ExecStart=/bin/true
                """);

        // when
        Map<String, String> env = unit.environment(root);

        // then
        assertThat(env).containsEntry("A", "1").containsEntry("B", "from file").containsEntry("C", "single")
                .containsEntry("PATH", SystemdUnit.DEFAULT_PATH);
    }

    @Test
    void execStartDropsPrefixesUnquotesAndExpandsVariables() {
        SystemdUnit unit = SystemdUnit.parse("""
                [Service]
                ExecStart=-/usr/bin/agent --config "/etc/my dir/agent.yml" --opt=${ONE} $MANY
                """);

        assertThat(unit.execStart(Map.of("ONE", "x y", "MANY", " -a  -b ")))
                .containsExactly("/usr/bin/agent", "--config", "/etc/my dir/agent.yml", "--opt=x y", "-a", "-b");
    }

    @Test
    void lastAssignmentWinsAndAnEmptyAssignmentResetsTheList() {
        SystemdUnit unit = SystemdUnit.parse("""
                [Service]
                Restart=no
                Restart=always
                Environment=A=1
                Environment=
                Environment=B=2
                """);

        assertThat(unit.value("Service", "Restart")).contains("always");
        assertThat(unit.values("Service", "Environment")).containsExactly("B=2");
    }

    @Test
    void rejectsTwoExecStartLinesAndUnbalancedQuotes() {
        assertThatThrownBy(() -> SystemdUnit.parse("[Service]\nExecStart=/a\nExecStart=/b\n").execStart(Map.of()))
                .hasMessageContaining("exactly one ExecStart=");
        assertThatThrownBy(() -> SystemdUnit.parse("[Service]\nExecStart=/a \"open\n").execStart(Map.of()))
                .hasMessageContaining("unbalanced quote");
        assertThatThrownBy(() -> SystemdUnit.parse("Key=outside\n"))
                .hasMessageContaining("line 1");
    }
}
