package org.convoca.mail;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * The SMTP timeouts: a read or write that has not finished after {@code timeout} (a server that
 * stopped answering or reading) fails instead of hanging the sender for good.
 *
 * <p>Angus has its own ({@code mail.smtp.timeout}, {@code mail.smtp.writetimeout}), both costly at
 * blast rates. The write timeout schedules a timer task for every write and cancels it after,
 * waking the timer thread each time: with four writes an email, about a tenth of the machine's CPU
 * during a blast (futex wake-ups and timer threads, in {@code perf}). The read timeout is the
 * socket's SO_TIMEOUT, which turns every read into a non-blocking read, a poll and a read again.
 * Here a read or write only notes when it started and reads block plainly; one daemon thread
 * looks four times a second for a read or write older than the timeout and closes its socket,
 * which fails it with an IOException, as Angus's timeouts do. Given to Angus as
 * {@code mail.smtp.socketFactory}, and used by the blast client ({@link PipelinedSmtp}) directly:
 * plain, STARTTLS (TLS is layered over this socket) and implicit TLS connections all read and
 * write through it.
 */
final class SocketWatchdog extends SocketFactory {
    /** Every open socket of every factory; one thread watches them all. */
    private static final Set<WatchedSocket> OPEN = ConcurrentHashMap.newKeySet();
    private static final long SWEEP_MILLIS = 250;

    static {
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smtp-write-watchdog");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(SocketWatchdog::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private final long timeoutNanos;

    /** {@code timeout}: the longest one read or write may take. */
    SocketWatchdog(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Closes every socket whose current read or write began longer ago than its timeout. */
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
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        if (local != null) s.bind(local);
        s.connect(remote);
        return s;
    }

    private static final class WatchedSocket extends Socket {
        private final long timeoutNanos;
        /** When the read or write in progress began (System.nanoTime), or 0 when none is. */
        private volatile long readingSince;
        private volatile long writingSince;
        private InputStream in;
        private OutputStream out;

        WatchedSocket(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        boolean stuck(long now) {
            long read = readingSince;
            long write = writingSince;
            return (read != 0 && now - read > timeoutNanos) || (write != 0 && now - write > timeoutNanos);
        }

        void abort() {
            try {
                close();
            } catch (IOException ignored) {
                // closing is all that can be done
            }
        }

        /** System.nanoTime() as a start mark: it can be 0, which means "idle" here, so 1 stands for it. */
        private static long started() {
            long now = System.nanoTime();
            return now == 0 ? 1 : now;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        readingSince = started();
                        try {
                            return super.read();
                        } finally {
                            readingSince = 0;
                        }
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        readingSince = started();
                        try {
                            return super.read(b, off, len);
                        } finally {
                            readingSince = 0;
                        }
                    }
                };
            }
            return in;
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
                        writingSince = started();
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
