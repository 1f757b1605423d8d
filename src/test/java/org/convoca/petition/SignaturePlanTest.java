package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.convoca.testsupport.TestApp;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signature writer's lookups of people by email are planned once per connection and must
 * probe the unique index whatever the table's size when they were planned: on this test database
 * people holds a handful of rows, where a free generic plan scans the table (and would keep doing
 * so as it grows to a million). The plans are taken as the writer takes them: its settings, then
 * the generic plan of its own statement text.
 */
class SignaturePlanTest {
    static TestApp app;
    static PetitionFixtures fx;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        fx = new PetitionFixtures(app);
        long id = PetitionFixtures.id(fx.openPetition("plan-shape"));
        assertThat(app.http().postRaw("/p/plan-shape/sign", fx.signer(id, "Ana", "Plan", "ana.plan@example.org")).status())
                .isEqualTo(303);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void the_writer_finds_signers_by_the_email_index_in_a_plan_made_on_a_small_table() {
        for (String shape : List.of("signature.signatures", "signature.readPeople")) {
            String plan = genericPlan(shape, true);
            assertThat(plan).as(shape).contains("people_email_normalized").doesNotContain("Seq Scan on people");
        }
    }

    @Test
    void without_the_writer_settings_the_same_plan_would_scan_people() {
        // What the settings are for: shows this database is one where the free plan scans.
        assertThat(genericPlan("signature.signatures", false)).contains("Seq Scan on people");
    }

    @Test
    void the_search_index_merges_its_pending_entries_in_small_steps() {
        // V082: a signer's batch never waits for a merge of a 4 MB pending list.
        assertThat(app.dsl().fetchValue("select array_to_string(reloptions, ',') from pg_class where oid = to_regclass('people_search_trgm_idx')"))
                .asString().contains("gin_pending_list_limit=256");
    }

    /** EXPLAIN of the shape's generic plan, in a transaction with or without the writer's settings. */
    private static String genericPlan(String shape, boolean writerSettings) {
        String sql = RoundTrip.sql(shape);
        assertThat(sql).as(shape + " was rendered").isNotNull();
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') numbered.append('$').append(++n);
            else numbered.append(c);
        }
        String statement = "plan_" + shape.replace('.', '_');
        String args = String.join(", ", java.util.Collections.nCopies(n, "null"));
        return app.dsl().transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (writerSettings) {
                for (RoundTrip.Shaped s : SignatureBatch.indexPlans(tx)) s.query().execute();
            } else {
                tx.setLocal(DSL.name("plan_cache_mode"), DSL.inline("force_generic_plan")).execute();
            }
            tx.execute("prepare " + statement + " as " + numbered);
            try {
                return String.join("\n", tx.fetch("explain execute " + statement + "(" + args + ")").getValues(0, String.class));
            } finally {
                tx.execute("deallocate " + statement);
            }
        });
    }
}
