package dev.fleetlet.server.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.server.broker.BrokerSettings;
import java.io.StringReader;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;

class BrokerConfigXmlTest {

    private static BrokerSettings settings(Path keystore, String password) {
        return new BrokerSettings("0.0.0.0", 1883, 8883, keystore, password, Path.of("/var/lib/fleetlet/broker"),
                10_000, 512 * 1024, 32, Duration.ofSeconds(10), BrokerSettings.Persistence.FILE);
    }

    private static void validate(String xml) throws Exception {
        URL xsd = BrokerConfigXml.class.getResource("/config.xsd");
        assertThat(xsd).as("the broker jar ships config.xsd").isNotNull();
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd).newValidator()
                .validate(new StreamSource(new StringReader(xml)));
    }

    @Test
    void rendersOnlyThePlainListenerWithoutAKeystore() throws Exception {
        String xml = BrokerConfigXml.render(settings(null, null));
        validate(xml);
        assertThat(xml).contains("<port>1883</port>", "<max-queue-size>10000</max-queue-size>",
                "<max-packet-size>524288</max-packet-size>", "<server-receive-maximum>32</server-receive-maximum>",
                "<mode>file</mode>");
        assertThat(xml).doesNotContain("tls-tcp-listener");
        assertThat(xml).containsPattern("<anonymous-usage-statistics>\\s*<enabled>false</enabled>");
    }

    @Test
    void addsTheTlsListenerWithAnEscapedKeystorePassword() throws Exception {
        String xml = BrokerConfigXml.render(settings(Path.of("/etc/fleetlet/mqtt.p12"), "p<&>\"'w"));
        validate(xml);
        assertThat(xml).contains("<tls-tcp-listener>", "<port>8883</port>", "<path>/etc/fleetlet/mqtt.p12</path>",
                "<password>p&lt;&amp;&gt;&quot;&apos;w</password>");
    }

    @Test
    void settingsNeverPrintTheKeystorePassword() {
        assertThat(settings(Path.of("/k.p12"), "top-secret").toString()).doesNotContain("top-secret").contains("tls=8883");
    }
}
