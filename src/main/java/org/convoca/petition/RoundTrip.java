package org.convoca.petition;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.ResultQuery;

/**
 * Several typed jOOQ queries sent to PostgreSQL as one JDBC statement: one network round trip
 * instead of one each, with every query's rows back, in order. jOOQ's own {@code fetchMany} runs
 * the queries one by one, and its batch returns no rows. On a loaded server each round trip waits
 * for a CPU, so the signature writer's rate is set by how many of them a batch makes.
 *
 * <p>Values are bound, not inlined: jOOQ renders the queries with placeholders and hands over
 * their bind values in order, which this class passes to pgjdbc (arrays as SQL arrays, JSONB as
 * text under the cast jOOQ renders). Written with {@link org.convoca.db.ArrayRows}, the text is the
 * same for every batch, so pgjdbc prepares it on the server once per connection. Each query still
 * runs as its own statement, in order, in the caller's transaction, so a later one sees what an
 * earlier one wrote.
 */
final class RoundTrip {
    /**
     * A query whose SQL text is the same every time it is built (an {@link org.convoca.db.ArrayRows}
     * statement), under a name: its text is rendered once and reused, only its values are read
     * each time. Rendering the writer's statements was a large share of a batch's CPU.
     *
     * <p>{@code arrays} are the arrays the query binds, as the caller built them (empty for none); every
     * other value it binds must be a constant of its shape. Then the values need not be read from
     * the query either: jOOQ's walk of the query for its bind values was the next largest share
     * of the writer's CPU (perf). Where each array goes is learnt from the first uses and checked
     * again now and then; a shape whose values do not follow it is read in full from then on.
     */
    record Shaped(String shape, Query query, List<?> arrays) {
    }

    private record Rendered(String sql, int binds, BindPlan plan) {
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RoundTrip.class);
    private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

    private RoundTrip() {
    }

    /**
     * A COMMIT to send as the last query of a round trip, which saves the commit's own round trip.
     * pgjdbc reads the transaction's state from the server's answer, and its {@code commit()} sends
     * nothing when the transaction has already ended; a failed statement before it leaves the
     * transaction aborted, and the rollback that follows the exception ends it as ever.
     */
    static Shaped commit(DSLContext tx) {
        return new Shaped("tx.commit", tx.commit(), List.of());
    }

    /**
     * Runs the queries in order, reusing the rendered text of each shape; returns the rows of those
     * that return rows, in order.
     */
    static List<Result<Record>> fetchShaped(DSLContext tx, List<Shaped> shaped) {
        StringBuilder sql = new StringBuilder();
        List<Object> binds = new ArrayList<>();
        List<Query> queries = new ArrayList<>(shaped.size());
        for (Shaped sq : shaped) {
            Query q = sq.query();
            queries.add(q);
            if (sql.length() > 0) sql.append(";\n");
            Rendered r = RENDERED.get(sq.shape());
            List<Object> values = r != null && r.plan() != null ? r.plan().values(sq.arrays()) : null;
            if (values == null) {
                values = tx.extractBindValues(q);
                r = learn(tx, sq, r, values);
            }
            sql.append(r.sql());
            binds.addAll(values);
        }
        return tx.connectionResult(c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < binds.size(); i++) bind(c, s, i + 1, binds.get(i));
                List<Result<Record>> out = new ArrayList<>();
                int next = 0;
                boolean isRows = s.execute();
                while (isRows || s.getUpdateCount() != -1) {
                    // Each statement answers with rows or with a count, in the order sent.
                    if (isRows) {
                        try (ResultSet rs = s.getResultSet()) {
                            out.add(tx.fetch(rs, ((ResultQuery<?>) queries.get(next)).fields()));
                        }
                    }
                    next++;
                    isRows = s.getMoreResults();
                }
                return out;
            }
        });
    }

    /** After reading a query's values in full: renders a new shape, and learns or checks its plan. */
    private static Rendered learn(DSLContext tx, Shaped sq, Rendered r, List<Object> values) {
        if (r == null || r.binds() != values.size()) {
            // First use, or a shape that is not one after all (its values do not line up): render.
            r = new Rendered(tx.render(sq.query()), values.size(), BindPlan.learning());
            RENDERED.put(sq.shape(), r);
        }
        if (r.plan() != null && !r.plan().check(values, sq.arrays())) {
            log.error("Statement shape {} binds values other than its arrays and constants; reading them in full", sq.shape());
            r = new Rendered(r.sql(), r.binds(), null);
            RENDERED.put(sq.shape(), r);
        }
        return r;
    }

    /** Tests: the SQL text a shape was rendered to (JDBC placeholders), or null. */
    static String sql(String shape) {
        Rendered r = RENDERED.get(shape);
        return r == null ? null : r.sql();
    }

    /** Tests: whether the shape's values are taken from its arrays (its plan was learnt and holds). */
    static boolean planned(String shape) {
        Rendered r = RENDERED.get(shape);
        return r != null && r.plan() != null;
    }

    /** The value types the writers bind; anything else is a programming error, not data. */
    private static void bind(Connection c, PreparedStatement s, int i, Object v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.OTHER);  // untyped: the server infers it, or jOOQ's cast types it
        } else if (v instanceof JSONB j) {
            s.setString(i, j.data());
        } else if (v instanceof JSONB[] a) {
            s.setArray(i, array(c, "jsonb", Stream.of(a).map(x -> x == null ? null : x.data()).toArray()));
        } else if (v instanceof String[] a) {
            s.setArray(i, array(c, "text", a));
        } else if (v instanceof Long[] a) {
            s.setArray(i, array(c, "bigint", a));
        } else if (v instanceof Integer[] a) {
            s.setArray(i, array(c, "integer", a));
        } else if (v instanceof Boolean[] a) {
            s.setArray(i, array(c, "boolean", a));
        } else if (v instanceof java.time.OffsetDateTime[] a) {
            // ISO 8601 text, which PostgreSQL reads as timestamptz with its offset.
            s.setArray(i, array(c, "timestamptz", Stream.of(a).map(t -> t == null ? null : t.toString()).toArray()));
        } else if (v instanceof Object[]) {
            throw new IllegalArgumentException("no array binding for " + v.getClass().getSimpleName());
        } else {
            s.setObject(i, v);
        }
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }
}
