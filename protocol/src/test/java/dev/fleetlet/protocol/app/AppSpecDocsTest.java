package dev.fleetlet.protocol.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.app.internal.ServiceReader;
import dev.fleetlet.protocol.golden.GoldenPayloads;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/app-spec.md stays in step with the parser. */
class AppSpecDocsTest {

    private static String doc() throws Exception {
        return Files.readString(GoldenPayloads.locateDoc().resolveSibling("app-spec.md"));
    }

    @Test
    void documentsEverySupportedAndEveryRefusedServiceKey() throws Exception {
        String doc = doc();
        for (String key : ServiceReader.KNOWN) {
            assertThat(doc).as("supported key %s", key).contains("| `" + key + "` |");
        }
        for (String key : ServiceReader.UNSUPPORTED) {
            assertThat(doc).as("unsupported key %s", key).contains("`" + key + "`");
        }
    }

    @Test
    void theCompleteExampleIsAValidSpec() throws Exception {
        Matcher m = Pattern.compile("## Complete example\\s+```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc());
        assertThat(m.find()).isTrue();

        ParseResult result = new AppSpecParser().parseYaml(m.group(1), null);

        assertThat(result.problems()).isEmpty();
        assertThat(result.spec().services()).hasSize(3);
    }
}
