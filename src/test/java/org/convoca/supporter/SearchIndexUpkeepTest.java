package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.PEOPLE;

import org.convoca.db.Database;
import org.convoca.testsupport.TestDatabase;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The search index's pending list is merged by the upkeep, and people are found by partial name after it. */
class SearchIndexUpkeepTest {
    Database db;

    @BeforeEach
    void start() {
        db = new Database(TestDatabase.fresh(), 2);
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void new_peoples_trigrams_are_merged_from_the_pending_list_into_the_index() {
        assertThat(db.dsl().fetchExists(DSL.selectOne().where(DSL.function("to_regclass", org.jooq.impl.SQLDataType.OTHER, DSL.inline("people_search_trgm_idx")).isNotNull())))
                .as("the trigram index exists (pg_trgm)").isTrue();
        for (int i = 0; i < 200; i++) {
            String email = "upkeep-" + i + "@example.org";
            db.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, email).set(PEOPLE.EMAIL_NORMALIZED, email)
                    .set(PEOPLE.GIVEN_NAME, "Guadalupe" + i).set(PEOPLE.REFERRAL_CODE, "upkeep" + i).execute();
        }
        SearchIndexUpkeep upkeep = new SearchIndexUpkeep(db.dsl());
        assertThat(upkeep.mergePending()).as("pending pages merged").isPositive();
        assertThat(upkeep.mergePending()).as("nothing left to merge").isZero();
        // Found through the index once merged, as before it (the pending list is searched too).
        assertThat(db.dsl().fetchCount(PEOPLE, PEOPLE.SEARCH_TEXT.like("%adalupe17%"))).isEqualTo(11);
        upkeep.run();  // the scheduler's entry: no throw, nothing to do
    }
}
