package dev.fleetlet.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.backoff.Backoff;
import dev.fleetlet.agent.queue.QueueSettings;
import dev.fleetlet.agent.queue.StoreAndForwardQueue;
import dev.fleetlet.agent.telemetry.TelemetryBatcher;
import dev.fleetlet.agent.telemetry.TelemetryPublisher;
import dev.fleetlet.agent.testbroker.LinkProxy;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.Reading;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session against a real mosquitto (Debian package) that is frozen while the agent has a telemetry backlog
 * bigger than the in-flight window (so QoS 1 publishes are in flight), killed, and started again on the same port,
 * several times in a row and with a different Receive Maximum each time (100, then 3: Paho re-sends 40 messages of
 * the previous connection to a broker admitting 3, which fills Paho's window before the birth). After every
 * restart the session must reconnect, publish its birth, resubscribe, drain the backlog and publish new batches in
 * order. (A subscriber cannot see the whole drain: it connects to the new broker in a race with the agent.)
 *
 * <p>The agent reaches the broker through a {@link LinkProxy}: after a restart with the smaller Receive Maximum the
 * proxy holds the broker's PUBACKs of the re-sent messages back until the birth has met the full window, so the
 * back-pressure path is taken on every such restart, not only when the machine happens to be slow.
 */
class MqttSessionReconnectIT {

    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    private static final int ROUNDS = 5;
    private static final String DEVICE = "pi-test-01";

    @TempDir
    Path tmp;

    private int port;
    private Process broker;
    private LinkProxy proxy;
    private final List<MqttClient> observers = new ArrayList<>();

    @AfterEach
    void stopBroker() throws Exception {
        for (MqttClient c : observers) {
            try {
                c.disconnectForcibly(0, 100, false);
                c.close(true);
            } catch (Exception e) {
                // the broker was killed under it
            }
        }
        if (broker != null) {
            broker.destroyForcibly().waitFor();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void reconnectsPublishesBirthResubscribesAndDrainsAfterEveryRestartWithPublishesInFlight() throws Exception {
        assertThat(Files.isExecutable(MOSQUITTO)).as("install mosquitto (apt-get install mosquitto)").isTrue();
        // given a broker, and a session (telemetry window 40) with the telemetry publisher on a queue
        port = freePort();
        startBroker(100);
        proxy = LinkProxy.start(port);
        ProtocolCodec codec = new ProtocolCodec();
        AtomicInteger connects = new AtomicInteger();
        List<String> desired = new CopyOnWriteArrayList<>();
        try (StoreAndForwardQueue queue = StoreAndForwardQueue.open(tmp.resolve("q"), QueueSettings.defaults(),
                Clock.systemUTC())) {
            SessionSettings settings = new SessionSettings(URI.create(proxy.uri()), DEVICE,
                    "secret-secret-secret-secret-secret-1", Optional.empty(), Duration.ofSeconds(30), Duration.ofDays(7),
                    Duration.ofSeconds(5), Duration.ofSeconds(60), 40, () -> "birth".getBytes(StandardCharsets.UTF_8),
                    () -> "will".getBytes(StandardCharsets.UTF_8), () -> "shutdown".getBytes(StandardCharsets.UTF_8));
            MqttSession session = new MqttSession(settings, new Backoff(Duration.ofMillis(100), Duration.ofMillis(400),
                    b -> b));
            TelemetryPublisher publisher = new TelemetryPublisher(DEVICE, session, queue);
            session.addListener(publisher);
            session.addListener(new MqttSession.Listener() {
                @Override
                public void connected() {
                    connects.incrementAndGet();
                }

                @Override
                public void message(String topic, MqttMessage message) {
                    desired.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }
            });
            TelemetryBatcher batcher = new TelemetryBatcher(DEVICE, queue, codec, () -> false, Clock.systemUTC(), 1,
                    publisher::wake);
            publisher.start();
            session.start();
            await().atMost(Duration.ofSeconds(20)).until(session::isConnected);
            assertThat(session.outgoingTopicAliasMaximum()).as("outgoing topic aliases (mosquitto allows 10)").isZero();

            int value = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                // when the broker freezes while the agent publishes more than its window holds
                signal("STOP");
                for (int i = 0; i < 60; i++) {
                    batcher.add(List.of(Reading.ok("greenhouse", "temperature", "Cel", value++, Instant.now())));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> session.telemetryWindow()[0] > 0
                        && session.telemetryWindow()[0] >= session.telemetryWindow()[1]);
                // and dies, and the agent goes on producing while it is away
                broker.destroyForcibly().waitFor();
                await().atMost(Duration.ofSeconds(30)).until(() -> !session.isConnected());
                for (int i = 0; i < 5; i++) {
                    batcher.add(List.of(Reading.ok("greenhouse", "temperature", "Cel", value++, Instant.now())));
                }
                long lastSeq = queue.stats().lastSeq();
                assertThat(queue.stats().ackedSeq()).isLessThan(lastSeq);
                // and comes back, admitting fewer in-flight messages every other time
                int before = connects.get();
                int receiveMaximum = round % 2 == 1 ? 3 : 100;
                long waitsBefore = session.backPressureWaits();
                if (receiveMaximum == 3) {
                    // Paho re-sends the 40 messages of the window on its own; with their PUBACKs held back (and the
                    // SUBACK until Paho has sent 3 of them), its window (3) is full when the birth comes
                    proxy.holdPubAcksOnNextLink(receiveMaximum, () -> session.backPressureWaits() > waitsBefore,
                            Duration.ofSeconds(15));
                }
                startBroker(receiveMaximum);
                List<String> presence = new CopyOnWriteArrayList<>();
                List<Long> telemetry = new CopyOnWriteArrayList<>();
                MqttClient observer = observer(codec, presence, telemetry);

                // then the session reconnects and publishes its birth (retained: the new broker knew no presence)
                int r = round;
                await().atMost(Duration.ofSeconds(60)).alias("reconnect " + r).until(() -> connects.get() > before);
                await().atMost(Duration.ofSeconds(10)).alias("birth " + r).until(() -> presence.contains("birth"));
                assertThat(session.isConnected()).isTrue();
                assertThat(session.outgoingTopicAliasMaximum()).isZero();
                if (receiveMaximum == 3) {
                    // and the birth found Paho's window full of re-sent telemetry, and waited instead of failing
                    assertThat(session.backPressureWaits()).as("publishes that waited for Paho's window in round %d; "
                            + "proxy: %s", r, proxy.events()).isGreaterThan(waitsBefore);
                }
                // and it is subscribed again to its desired state
                String doc = "{\"round\":" + round + "}";
                observer.publish(Topics.desiredState(DEVICE), new MqttMessage(doc.getBytes(StandardCharsets.UTF_8), 1,
                        false, new MqttProperties()));
                await().atMost(Duration.ofSeconds(10)).alias("desired state " + r).until(() -> desired.contains(doc));
                // and the backlog drains: the broker acknowledged every batch (the queue cursor only advances over
                // a contiguous run of PUBACKs)
                await().atMost(Duration.ofSeconds(60)).alias("drained " + r)
                        .until(() -> queue.stats().ackedSeq() == lastSeq);
                // and new batches reach a subscriber, each once and in seq order
                for (int i = 0; i < 5; i++) {
                    batcher.add(List.of(Reading.ok("greenhouse", "temperature", "Cel", value++, Instant.now())));
                }
                List<Long> expected = java.util.stream.LongStream.rangeClosed(lastSeq + 1, lastSeq + 5).boxed().toList();
                await().atMost(Duration.ofSeconds(10)).alias("new batches " + r)
                        .until(() -> telemetry.stream().filter(seq -> seq > lastSeq).toList().equals(expected));
            }
            publisher.close();
            session.close();
        }
    }

    private MqttClient observer(ProtocolCodec codec, List<String> presence, List<Long> telemetry) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, "observer-" + System.nanoTime(), new MemoryPersistence());
        c.connect(new MqttConnectionOptions());
        c.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.presence(DEVICE), 1),
                new MqttSubscription(Topics.telemetry(DEVICE), 1)}, new IMqttMessageListener[] {
                        (topic, msg) -> presence.add(new String(msg.getPayload(), StandardCharsets.UTF_8)),
                        (topic, msg) -> telemetry.add(codec.decode(MessageType.TELEMETRY, msg.getPayload()).orElseThrow().seq())});
        observers.add(c);
        return c;
    }

    private void startBroker(int receiveMaximum) throws IOException {
        Path conf = tmp.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                + "max_inflight_messages " + receiveMaximum + "\nmax_topic_alias 10\n");
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("mosquitto.log").toFile())).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(broker.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s mosquitto", name).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
