package org.convoca.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convoca.db.DatabaseUrl;
import org.convoca.testsupport.Http;

/**
 * One Convoca server in a JVM of its own: {@code java -cp <this test's classpath> org.convoca.Main
 * serve}, configured only through the environment, as in production. The process is killed on
 * {@link #close()} and, should this JVM end first (a failed or interrupted run), by a shutdown hook.
 */
final class ConvocaProcess implements AutoCloseable {
    final String name;
    final String baseUrl;
    private final Process process;
    private final Path log;
    private final Thread killer;
    private Path dataDir;

    ConvocaProcess(String name, DatabaseUrl database, int smtpPort, Map<String, String> extraEnv, Path logDir) {
        this.name = name;
        int port = freePort();
        this.baseUrl = "http://127.0.0.1:" + port;
        this.log = logDir.resolve("convoca-" + name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.convoca.Main", "serve");
        Map<String, String> env = pb.environment();
        env.put("DATABASE_URL", withCredentials(database));
        env.put("PORT", String.valueOf(port));
        env.put("BASE_URL", baseUrl);
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(smtpPort));
        env.put("SMTP_SECURITY", "none");
        env.put("METRICS_TOKEN", "two-processes");
        try {
            this.dataDir = Files.createTempDirectory("convoca-" + name);
            env.put("DATA_DIR", dataDir.toString());
            env.putAll(extraEnv);
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            this.process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.killer = new Thread(process::destroyForcibly, "kill convoca-" + name);
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Waits for /healthz to answer 200; fails at once, with the log's end, if the process died. */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        Http http = new Http(baseUrl);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("convoca-" + name + " exited with " + process.exitValue() + ":\n" + logTail());
            try {
                if (http.get("/healthz").status() == 200) return;
            } catch (UncheckedIOException notListeningYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("convoca-" + name + " did not become healthy in " + timeout + ":\n" + logTail());
    }

    @Override
    public void close() {
        process.destroy();  // SIGTERM: the app's own shutdown hook closes the server and the pool
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
        org.convoca.ops.Folders.deleteTree(dataDir);
    }

    /** A JDBC URL that carries its own credentials (DATABASE_URL has no separate user variable). */
    private static String withCredentials(DatabaseUrl url) {
        if (url.username() == null) return url.jdbcUrl();
        String sep = url.jdbcUrl().contains("?") ? "&" : "?";
        return url.jdbcUrl() + sep + "user=" + enc(url.username()) + (url.password() == null ? "" : "&password=" + enc(url.password()));
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
