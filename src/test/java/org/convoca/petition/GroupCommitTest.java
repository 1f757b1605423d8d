package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The group commit's contract, without a database: every submitter gets its own outcome. */
class GroupCommitTest {
    @Test
    void concurrent_submitters_get_their_own_outcomes_in_batches_no_larger_than_the_maximum() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        CountDownLatch firstBatchWriting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<Integer, String> gc = new GroupCommit<>("test", 1, 8, items -> {
            sizes.add(items.size());
            firstBatchWriting.countDown();
            await(release);
            return items.stream().map(i -> "done-" + i).toList();
        })) {
            ExecutorService pool = Executors.newFixedThreadPool(40);
            List<Future<String>> results = new ArrayList<>();
            results.add(pool.submit(() -> gc.submit(0, 10)));
            assertThat(firstBatchWriting.await(10, TimeUnit.SECONDS)).isTrue();
            // These queue up while the first batch is being written.
            for (int i = 1; i < 40; i++) {
                int n = i;
                results.add(pool.submit(() -> gc.submit(n, 10)));
            }
            Thread.sleep(200);
            release.countDown();
            for (int i = 0; i < 40; i++) assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("done-" + i);
            pool.shutdown();
        }
        assertThat(sizes.get(0)).isEqualTo(1);
        assertThat(sizes).allMatch(s -> s <= 8);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
        assertThat(sizes.size()).isLessThan(40);  // the queued ones were written together
    }

    @Test
    void submitted_for_later_the_items_are_batched_and_completed_off_the_writer_without_a_waiting_thread()
            throws Exception {
        List<String> writerThreads = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<Integer, String> gc = new GroupCommit<>("later", 1, 64, items -> {
            writerThreads.add(Thread.currentThread().getName());
            await(release);
            return items.stream().map(i -> "done-" + i).toList();
        })) {
            // Thirty items from this one thread: nobody blocks while they are written.
            List<java.util.concurrent.CompletableFuture<String>> futures = new ArrayList<>();
            List<String> completedOn = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 30; i++) {
                futures.add(gc.submitLater(i).whenComplete((r, e) -> completedOn.add(Thread.currentThread().getName())));
            }
            assertThat(futures).noneMatch(java.util.concurrent.CompletableFuture::isDone);
            release.countDown();
            for (int i = 0; i < 30; i++) assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("done-" + i);
            assertThat(writerThreads.size()).isLessThan(30);
            assertThat(completedOn).hasSize(30).allMatch(n -> n.equals("later-done"));
        }
    }

    @Test
    void a_failing_batch_is_written_again_item_by_item_so_only_the_bad_item_fails() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        try (GroupCommit<String, String> gc = new GroupCommit<>("test", 1, 16, items -> {
            await(queued);
            if (items.contains("bad")) throw new IllegalArgumentException("bad row");
            return items.stream().map(String::toUpperCase).toList();
        })) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            Future<String> a = pool.submit(() -> gc.submit("a", 10));
            Future<String> bad = pool.submit(() -> gc.submit("bad", 10));
            Future<String> c = pool.submit(() -> gc.submit("c", 10));
            Thread.sleep(200);
            queued.countDown();
            assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("A");
            assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo("C");
            assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalArgumentException.class);
            pool.shutdown();
        }
    }

    @Test
    void a_writer_that_returns_the_wrong_number_of_outcomes_fails_its_submitters_instead_of_leaving_them_waiting() {
        try (GroupCommit<String, String> gc = new GroupCommit<>("test", 1, 16, items -> List.of())) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> gc.submit("x", 10)).isInstanceOf(IllegalStateException.class);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
