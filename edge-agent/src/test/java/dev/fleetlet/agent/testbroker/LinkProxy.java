package dev.fleetlet.agent.testbroker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A TCP relay between the agent and a broker on loopback, so an integration test can decide what the agent sees
 * instead of relying on timing: while {@linkplain #setOpen(boolean) closed} every new connection is dropped at once
 * (as if the broker were down), and {@link #holdPubAcksOnNextLink} keeps the broker's PUBACKs back on the next link
 * that reaches the broker until a condition holds (so the agent's in-flight window is full for as long as the test
 * needs). The relay parses only MQTT's fixed header (packet type and remaining length) and copies every packet
 * unchanged.
 */
public final class LinkProxy implements AutoCloseable {

    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int SUBACK = 9;
    private static final Duration POLL = Duration.ofMillis(10);

    private final ServerSocket server;
    private final int upstreamPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger links = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;
    private volatile Hold armed;

    private record Hold(int publishesBeforeSubAck, BooleanSupplier release, long deadlineNanos) {
        boolean over() {
            return release.getAsBoolean() || System.nanoTime() - deadlineNanos >= 0;
        }
    }

    private LinkProxy(ServerSocket server, int upstreamPort) {
        this.server = server;
        this.upstreamPort = upstreamPort;
    }

    /** Starts relaying from a free loopback port to {@code 127.0.0.1:upstreamPort}. */
    public static LinkProxy start(int upstreamPort) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LinkProxy proxy = new LinkProxy(s, upstreamPort);
        Thread t = new Thread(proxy::acceptLoop, "link-proxy-accept");
        t.setDaemon(true);
        t.start();
        return proxy;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Closed: new connections are dropped at once; links already relayed are not touched. */
    public void setOpen(boolean open) {
        this.open = open;
    }

    /**
     * The next link that reaches the broker (and every later one, until the hold is over: a link that breaks
     * before does not end it) relays no PUBACK until {@code release} is true or {@code max} has passed,
     * and holds its first SUBACK until the client has sent {@code publishesBeforeSubAck} PUBLISH packets on it (so a
     * client that re-sends its in-flight messages after CONNACK has filled its window before it learns that its
     * subscription is in place); then the held packets go out in order and the link relays normally.
     */
    public void holdPubAcksOnNextLink(int publishesBeforeSubAck, BooleanSupplier release, Duration max) {
        armed = new Hold(publishesBeforeSubAck, release, System.nanoTime() + max.toNanos());
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            quietClose(s);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(client);
            if (!open) {
                event("link refused (proxy closed)");
                quietClose(client);
                continue;
            }
            Socket broker;
            try {
                broker = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
            } catch (IOException e) {
                event("link dropped (broker down)");
                quietClose(client); // broker down: the agent sees the connection refused as a dropped link
                continue;
            }
            sockets.add(broker);
            Hold hold = armed;
            if (hold != null && hold.over()) {
                armed = null;
                hold = null;
            }
            Link link = new Link(links.incrementAndGet(), client, broker, hold);
            event("link " + link.id + " up" + (hold == null ? "" : " with PUBACKs held"));
            startThread("link-proxy-up", link::relayUp);
            startThread("link-proxy-down", link::relayDown);
            if (hold != null) {
                startThread("link-proxy-release", link::releaseWhenDue);
            }
        }
    }

    /** What the proxy did, in order (for assertion messages). */
    public List<String> events() {
        return List.copyOf(events);
    }

    private void event(String text) {
        events.add(text);
    }

    /** One relayed connection; all writes to the client go through {@code this}'s monitor. */
    private final class Link {
        private final int id;
        private final Socket client;
        private final Socket broker;
        private final Hold hold;
        private final List<byte[]> heldPubAcks = new ArrayList<>();
        private byte[] heldSubAck;
        private boolean holding;
        private int publishesFromClient;

        Link(int id, Socket client, Socket broker, Hold hold) {
            this.id = id;
            this.client = client;
            this.broker = broker;
            this.hold = hold;
            this.holding = hold != null;
        }

        /** Client to broker, packet by packet, counting PUBLISH packets. */
        void relayUp() {
            try {
                DataInputStream in = new DataInputStream(client.getInputStream());
                OutputStream out = broker.getOutputStream();
                while (true) {
                    byte[] packet = readPacket(in);
                    out.write(packet);
                    out.flush();
                    if (type(packet) == PUBLISH) {
                        synchronized (this) {
                            publishesFromClient++;
                            if (heldSubAck != null && publishesFromClient >= hold.publishesBeforeSubAck()) {
                                event("link " + id + " SUBACK released after " + publishesFromClient + " publishes");
                                writeToClient(heldSubAck);
                                heldSubAck = null;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                quietClose(client);
                quietClose(broker);
            }
        }

        /** Broker to client, packet by packet; PUBACKs (and the first SUBACK) held back as the hold says. */
        void relayDown() {
            try {
                DataInputStream in = new DataInputStream(broker.getInputStream());
                while (true) {
                    byte[] packet = readPacket(in);
                    synchronized (this) {
                        int type = type(packet);
                        if (holding && type == PUBACK) {
                            heldPubAcks.add(packet);
                        } else if (holding && type == SUBACK && publishesFromClient < hold.publishesBeforeSubAck()) {
                            event("link " + id + " SUBACK held at " + publishesFromClient + " publishes");
                            heldSubAck = packet;
                        } else {
                            writeToClient(packet);
                        }
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                event("link " + id + " down");
                quietClose(broker);
                quietClose(client);
            }
        }

        void releaseWhenDue() {
            while (!hold.over() && !client.isClosed()) {
                sleep(POLL);
            }
            synchronized (this) {
                event("link " + id + " releases " + heldPubAcks.size() + " PUBACKs"
                        + (hold.release().getAsBoolean() ? "" : " (timed out)"));
                holding = false;
                try {
                    if (heldSubAck != null) {
                        writeToClient(heldSubAck);
                        heldSubAck = null;
                    }
                    for (byte[] packet : heldPubAcks) {
                        writeToClient(packet);
                    }
                } catch (IOException e) {
                    quietClose(client);
                }
                heldPubAcks.clear();
            }
        }

        private void writeToClient(byte[] packet) throws IOException {
            OutputStream out = client.getOutputStream();
            out.write(packet);
            out.flush();
        }
    }

    private static int type(byte[] packet) {
        return (packet[0] & 0xff) >> 4;
    }

    /** One MQTT control packet: fixed header byte, variable-length remaining length, then that many bytes. */
    private static byte[] readPacket(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException();
        }
        byte[] header = new byte[5];
        header[0] = (byte) first;
        int length = 0;
        int n = 1;
        int b;
        do {
            b = in.readUnsignedByte();
            header[n] = (byte) b;
            length |= (b & 0x7f) << (7 * (n - 1));
            n++;
        } while ((b & 0x80) != 0 && n < 5);
        byte[] packet = new byte[n + length];
        System.arraycopy(header, 0, packet, 0, n);
        in.readFully(packet, n, length);
        return packet;
    }

    private static void startThread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // polling the release condition of a hold, not waiting for a test condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
