package org.convoca.petition;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.ResultQuery;

/**
 * Several typed jOOQ queries sent to PostgreSQL as one JDBC statement: one network round trip
 * instead of one each, with every query's rows back, in order. jOOQ's own {@code fetchMany} runs
 * the queries one by one, and its batch returns no rows. On a loaded server each round trip waits
 * for a CPU (tens of milliseconds under the benchmark's load), so the signature writer's rate is
 * set by how many of them a batch makes. Values are inlined by jOOQ's own literal rendering (as
 * its batches do); each query still runs as its own statement, in order, in the caller's
 * transaction, so a later one sees what an earlier one wrote.
 */
final class RoundTrip {
    private RoundTrip() {
    }

    /** Runs the queries in order; returns the rows of those that return rows, in order. */
    static List<Result<Record>> fetchAll(DSLContext tx, List<? extends Query> queries) {
        String sql = queries.stream().map(tx::renderInlined).collect(Collectors.joining(";\n"));
        return tx.connectionResult(c -> {
            try (Statement s = c.createStatement()) {
                List<Result<Record>> out = new ArrayList<>();
                int next = 0;
                boolean isRows = s.execute(sql);
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

    static List<Result<Record>> fetchAll(DSLContext tx, Query... queries) {
        return fetchAll(tx, Stream.of(queries).toList());
    }
}
