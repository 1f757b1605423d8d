package org.convoca.mail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server for the failures GreenMail does not stage: answering every command, it
 * does at DATA what the test asks (take the message, stop reading, or read it and never answer),
 * and can close every connection from its side, as an idle timeout does.
 */
final class ScriptedSmtpServer implements AutoCloseable {
    enum AtData { ACCEPT, STOP_READING, NEVER_ANSWER }

    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger noops = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    /** Counted down when a DATA was stalled as asked. */
    final CountDownLatch stalled = new CountDownLatch(1);
    private final AtData atData;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    ScriptedSmtpServer(AtData atData) throws Exception {
        this.atData = atData;
        server = new ServerSocket();
        server.setReceiveBufferSize(4096);  // small, so a client's writes block soon when nothing reads
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon("scripted-smtp-accept", () -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    open.add(s);
                    daemon("scripted-smtp", () -> serve(s));
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void serve(Socket s) {
        try (s) {
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            reply(out, "220 scripted.test ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        if (atData != AtData.STOP_READING) {
                            while ((line = in.readLine()) != null && !line.equals(".")) {
                                // the message
                            }
                        }
                        if (atData != AtData.ACCEPT) {
                            stalled.countDown();
                            Thread.sleep(60_000);
                            return;
                        }
                        delivered.incrementAndGet();
                        reply(out, "250 OK");
                    }
                    case "NOOP" -> {
                        noops.incrementAndGet();
                        reply(out, "250 OK");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 OK");
                }
            }
        } catch (Exception e) {
            // closed by dropAll(), by close(), or by the client
        }
    }

    private static void reply(OutputStream out, String line) throws java.io.IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Closes every connection from the server's side. */
    void dropAll() throws Exception {
        for (Socket s : open) s.close();
        open.clear();
    }

    @Override
    public void close() throws Exception {
        server.close();
        dropAll();
    }
}
