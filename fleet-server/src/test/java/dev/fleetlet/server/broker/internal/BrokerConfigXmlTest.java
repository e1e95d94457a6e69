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
    void rendersTheFleetCaTrustStoreAndTheModeWhenClientAuthIsOn() throws Exception {
        // given a TLS listener with client-auth optional, then required
        for (BrokerSettings.ClientAuth mode : new BrokerSettings.ClientAuth[] {BrokerSettings.ClientAuth.OPTIONAL,
            BrokerSettings.ClientAuth.REQUIRED}) {
            BrokerSettings s = new BrokerSettings("0.0.0.0", 1883, 8883, Path.of("/etc/fleetlet/mqtt.p12"), "pw",
                    Path.of("/var/lib/fleetlet/broker"), 10_000, 512 * 1024, 32, Duration.ofSeconds(10),
                    BrokerSettings.Persistence.FILE, mode);
            // when rendered with the trust store
            String xml = BrokerConfigXml.render(s, new BrokerConfigXml.TrustStore(Path.of("/var/lib/fleetlet/broker/conf/client-ca.p12"),
                    "t<s&pw"));
            // then the broker's schema accepts it and it names the trust store (escaped password) and the mode
            validate(xml);
            assertThat(xml).contains("<path>/var/lib/fleetlet/broker/conf/client-ca.p12</path>", "<password>t&lt;s&amp;pw</password>",
                    "<client-authentication-mode>" + mode.name() + "</client-authentication-mode>");
            // and without the trust store it refuses to render, naming the key
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> BrokerConfigXml.render(s))
                    .hasMessageContaining("fleetlet.mqtt.tls.client-auth");
        }
        // and without client-auth there is no trust store at all
        assertThat(BrokerConfigXml.render(settings(Path.of("/etc/fleetlet/mqtt.p12"), "pw"))).doesNotContain("truststore",
                "client-authentication-mode");
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
