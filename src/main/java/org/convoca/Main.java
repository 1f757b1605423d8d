package org.convoca;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.convoca.auth.StaffAccounts;
import org.convoca.auth.UserRepository;
import org.convoca.auth.ApiKeyRepository;
import org.convoca.db.Database;
import org.convoca.db.DatabaseUrl;
import org.convoca.db.EmbeddedDatabase;
import org.convoca.web.Lang;
import org.convoca.web.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code serve} (default), {@code migrate}, {@code create-user},
 * {@code create-api-key}. Wires the database and the app by hand; no container.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private final Config config;
    private final PrintStream out;
    private final PrintStream err;

    Main(Config config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (RuntimeException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code = new Main(config, System.out, System.err).run(args, System.in);
        if (code != 0 || (args.length > 0 && !args[0].equals("serve"))) {
            System.exit(code);
        }
    }

    int run(String[] args, java.io.InputStream stdin) {
        String command = args.length == 0 ? "serve" : args[0];
        Map<String, String> opts;
        try {
            opts = options(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        return switch (command) {
            case "serve" -> serve();
            case "migrate" -> withDatabase(db -> {
                out.println("Migrations applied.");
                return 0;
            });
            case "create-user" -> createUser(opts, stdin);
            case "create-api-key" -> createApiKey(opts);
            default -> {
                err.println("Unknown command: " + command + "\nUsage: convoca [serve|migrate|create-user --email E --role admin|organizer|leader [--name N]|create-api-key --email E [--name N]]");
                yield 2;
            }
        };
    }

    private int serve() {
        EmbeddedDatabase embedded = startEmbeddedIfNeeded();
        Database db = new Database(databaseUrl(embedded), 20);
        db.migrate();
        App app;
        try {
            app = new App(config, db, false).start();
        } catch (IllegalArgumentException e) {
            // A feature setting that cannot work (such as BOUNCE_*): say which, and stop cleanly.
            err.println("Configuration error: " + e.getMessage());
            db.close();
            if (embedded != null) embedded.close();
            return 2;
        }
        log.info("Convoca is running: open {} (staff sign in at {}/login)", config.baseUrl(), config.baseUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            db.close();
            if (embedded != null) embedded.close();
        }, "shutdown"));
        return 0;
    }

    private int createUser(Map<String, String> opts, java.io.InputStream stdin) {
        if (!opts.containsKey("email") || !opts.containsKey("role")) {
            err.println("Usage: convoca create-user --email E --role admin|organizer|leader [--name N]  (password on standard input)");
            return 2;
        }
        String password;
        try {
            password = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
        } catch (java.io.IOException e) {
            password = null;
        }
        if (password == null) {
            err.println("Type the password on standard input (one line).");
            return 2;
        }
        final String pw = password;
        return withDatabase(db -> {
            StaffAccounts.Result r = new StaffAccounts(new UserRepository(db.dsl()))
                    .create(opts.get("email"), opts.getOrDefault("name", ""), opts.get("role"), pw);
            if (!r.errors().isEmpty()) {
                Messages messages = new Messages();
                r.errors().forEach(e -> err.println(e.field() + ": " + messages.get(Lang.EN, e.key())));
                return 1;
            }
            out.println("Created " + r.user().role().staffName() + " " + r.user().email());
            return 0;
        });
    }

    private int createApiKey(Map<String, String> opts) {
        if (!opts.containsKey("email")) {
            err.println("Usage: convoca create-api-key --email E [--name N]");
            return 2;
        }
        return withDatabase(db -> {
            var user = new UserRepository(db.dsl()).findByEmail(opts.get("email"));
            if (user.isEmpty()) {
                err.println("No staff user with that email; create one with create-user first.");
                return 1;
            }
            out.println(new ApiKeyRepository(db.dsl()).create(user.get().id(), opts.getOrDefault("name", "")));
            return 0;
        });
    }

    private int withDatabase(java.util.function.Function<Database, Integer> action) {
        EmbeddedDatabase embedded = startEmbeddedIfNeeded();
        try (Database db = new Database(databaseUrl(embedded), 2)) {
            db.migrate();
            return action.apply(db);
        } catch (RuntimeException e) {
            err.println("Database error: " + e.getMessage());
            return 1;
        } finally {
            if (embedded != null) embedded.close();
        }
    }

    private EmbeddedDatabase startEmbeddedIfNeeded() {
        return config.databaseUrl().isPresent() ? null : EmbeddedDatabase.startOrAttach(config.dataDir());
    }

    private DatabaseUrl databaseUrl(EmbeddedDatabase embedded) {
        if (embedded != null) {
            DatabaseUrl server = embedded.url("postgres");
            return server;
        }
        return DatabaseUrl.parse(config.databaseUrl().get());
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("Unexpected argument: " + a);
            if (i + 1 >= args.length) throw new IllegalArgumentException("Missing value for " + a);
            opts.put(a.substring(2), args[++i]);
        }
        return opts;
    }
}
