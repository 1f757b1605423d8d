package org.convoca.mail;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * The SMTP write timeout: a write to a server that stopped reading fails after {@code timeout}
 * instead of hanging the sender for good.
 *
 * <p>Angus has one ({@code mail.smtp.writetimeout}), but it schedules a timer task for every write
 * and cancels it after, which wakes the timer thread each time: with four writes an email, that
 * was about a tenth of the machine's CPU during a blast (futex wake-ups and the timer threads, in
 * {@code perf}). Here a write only notes when it started; one daemon thread looks once a second
 * for a write older than the timeout and closes its socket, which fails the write with an
 * IOException, as Angus's timer does (within a quarter of a second after the timeout). Given to Angus as {@code mail.smtp.socketFactory}: plain,
 * STARTTLS (TLS is layered over this socket) and implicit TLS connections all write through it.
 */
final class WriteWatchdog extends SocketFactory {
    /** Every open socket of every factory; one thread watches them all. */
    private static final Set<WatchedSocket> OPEN = ConcurrentHashMap.newKeySet();
    private static final long SWEEP_MILLIS = 250;

    static {
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smtp-write-watchdog");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(WriteWatchdog::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private final long timeoutNanos;

    WriteWatchdog(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Closes every socket whose current write began longer ago than its timeout. */
    private static void sweep() {
        long now = System.nanoTime();
        for (WatchedSocket s : OPEN) {
            if (s.isClosed()) {
                OPEN.remove(s);
            } else if (s.stuck(now)) {
                s.abort();
            }
        }
    }

    @Override
    public Socket createSocket() {
        WatchedSocket s = new WatchedSocket(timeoutNanos);
        OPEN.add(s);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    private Socket connected(InetSocketAddress address) throws IOException {
        Socket s = createSocket();
        s.connect(address);
        return s;
    }

    private static final class WatchedSocket extends Socket {
        private final long timeoutNanos;
        /** When the write in progress began (System.nanoTime), or 0 when none is. */
        private volatile long writingSince;
        private OutputStream out;

        WatchedSocket(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        boolean stuck(long now) {
            long since = writingSince;
            return since != 0 && now - since > timeoutNanos;
        }

        void abort() {
            try {
                close();
            } catch (IOException ignored) {
                // closing is all that can be done
            }
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        // nanoTime can be 0; 1 then stands for it (a nanosecond makes no difference).
                        long now = System.nanoTime();
                        writingSince = now == 0 ? 1 : now;
                        try {
                            super.out.write(b, off, len);
                        } finally {
                            writingSince = 0;
                        }
                    }
                };
            }
            return out;
        }

        @Override
        public synchronized void close() throws IOException {
            OPEN.remove(this);
            super.close();
        }
    }
}
