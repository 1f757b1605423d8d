package org.convoca.petition;

import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.convoca.auth.Tokens;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.Outbox;
import org.convoca.supporter.Activities;
import org.convoca.supporter.Phones;
import org.convoca.web.Lang;
import org.jooq.DSLContext;
import org.convoca.web.HtmlError;

/**
 * Signing a petition. Concurrent signatures are written together by a group commit
 * ({@link SignatureBatch}: one transaction, set-based statements): the person is created or
 * merged by email, the signature is inserted once (the unique constraint decides, not a prior
 * read), the activity is recorded and the thank-you (or double opt-in) email is queued. A repeat
 * signature changes nothing.
 */
public final class Signing implements AutoCloseable {
    static final Duration CONFIRM_VALID_FOR = SignatureMail.CONFIRM_VALID_FOR;
    /** How long a signer waits for the writer before "try again" (a burst queues, it does not fail). */
    static final long MAX_WAIT_SECONDS = 60;
    /**
     * Writer threads, each with its own transaction in flight. One: everything that queued while
     * a batch was written goes into the next, so batches are as large as the load makes them, and
     * a batch's fixed costs (planning, round trips, the commit) are shared by more signers. A
     * batch is a serial chain (the writer thread, its backend, the writer again), so one writer
     * leaves part of a two-core server idle; a second one uses it but makes smaller batches, and
     * came out at the same rate for 20–30% more CPU a signature (bench/petitions, 2026-12-01:
     * 0.41–0.56 of raw inserts with two, 0.43–0.53 with one, in interleaved runs). With four, a
     * burst from 64 clients came in batches of about eight and cost 1.3x to 1.6x the CPU a
     * signature. Two writers' batches with posts from one address (a school's Wi-Fi, the
     * benchmark's loopback) also take turns at that address's count row ({@link FormPosts}).
     * SIGN_WRITERS overrides it (each writer holds a pool connection while it writes).
     */
    static final int WRITERS = intSetting("SIGN_WRITERS", 1);
    /** Signatures per transaction at most; a burst of thousands becomes a few dozen commits. */
    static final int MAX_BATCH = 256;

    /** CLOSED: the petition stopped taking signatures after the page was read. */
    /** RATE_LIMITED: the signer's address sent more form posts this minute than the limit allows. */
    public enum Outcome { SIGNED, PENDING, ALREADY_SIGNED, CLOSED, RATE_LIMITED }

    /** What happened, and the signer's referral code for share links (null when already signed). */
    public record Result(Outcome outcome, Long signatureId, String referralCode) {
    }

    private final DSLContext dsl;
    private final SignatureMail mail;
    private final String phoneRegion;
    private final GroupCommit<SignatureBatch.Item, Result> writer;
    /** The resends of {@link #signLater}: a few threads at most, none while nobody repeats. */
    private final ThreadPoolExecutor aside = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "signature-resend");
                t.setDaemon(true);
                return t;
            });

    public Signing(DSLContext dsl, EmailRenderer emails, ShareLinks share, String phoneRegion) {
        this.dsl = dsl;
        this.mail = new SignatureMail(emails, share, new org.convoca.mail.OutboxBodies(dsl));
        this.phoneRegion = phoneRegion;
        SignatureBatch batch = new SignatureBatch(mail);
        this.writer = new GroupCommit<>("signature-writer", WRITERS, MAX_BATCH, items -> write(batch, items));
        aside.allowCoreThreadTimeOut(true);
    }

    private volatile BotGuard formLimit;

    /** Where form posts are counted against their address's limit (the API is not limited). */
    public Signing formLimit(BotGuard guard) {
        this.formLimit = guard;
        return this;
    }

    /**
     * A writer's batch, in one transaction ({@link SignatureBatch#write}); its form posts are
     * counted against their addresses' limits in it, and those over a limit are not written.
     */
    private List<Result> write(SignatureBatch batch, List<SignatureBatch.Item> items) {
        BotGuard guard = formLimit;
        return batch.write(dsl, items, guard == null ? FormPosts.none() : guard.posts(items));
    }

    private volatile org.convoca.ops.ForegroundWork foreground = new org.convoca.ops.ForegroundWork();

    /** Where signing says it is busy, so a blast on this instance steps back (see BlastSender). */
    public Signing foreground(org.convoca.ops.ForegroundWork foreground) {
        this.foreground = foreground;
        return this;
    }

    /** Signs; {@code source} is form, embed or api; {@code lang} the language the signer used. */
    public Result sign(Petition p, SignatureInput in, String source, String ipHash, Lang lang) {
        return sign(p, in, source, ipHash, lang, false);
    }

    /**
     * As above; {@code limited}: a form post, counted against its address's per-minute limit by
     * the writer (see {@link #formLimit}); over it, the outcome is RATE_LIMITED and nothing is written.
     */
    public Result sign(Petition p, SignatureInput in, String source, String ipHash, Lang lang, boolean limited) {
        try {
            return signLater(p, in, source, ipHash, lang, limited).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /**
     * As {@link #sign}, without holding the caller's thread while its batch is written: the form's
     * handler answers when the future completes, so a burst of signers does not park a request
     * thread each (64 parked threads and their wake-ups were a fifth of the request threads' CPU
     * on the benchmark's two-core VM). The future completes on the writer's completing thread, so
     * what is chained on it without an executor must be quick; the rare resend of a confirmation
     * link (a database transaction) runs on a thread of its own. After {@link #MAX_WAIT_SECONDS}
     * it fails with 503.
     */
    public CompletableFuture<Result> signLater(Petition p, SignatureInput in, String source, String ipHash, Lang lang,
                                               boolean limited) {
        foreground.touch();
        SignatureBatch.Item item = item(p, in, source, ipHash, lang, limited);
        return writer.submitLater(item)
                .orTimeout(MAX_WAIT_SECONDS, TimeUnit.SECONDS)
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof TimeoutException) throw new HtmlError(503, "error.unavailable");
                    throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
                })
                .thenCompose(r -> r.outcome() != Outcome.ALREADY_SIGNED || !p.doubleOptIn()
                        ? CompletableFuture.completedFuture(r)
                        : CompletableFuture.supplyAsync(() -> resendIfPending(p, in, item.lang()).orElse(r), aside));
    }

    private SignatureBatch.Item item(Petition p, SignatureInput in, String source, String ipHash, Lang lang,
                                     boolean limited) {
        String phone = Phones.normalize(in.person().phone(), phoneRegion).orElse(null);
        Lang mailLang = Lang.parse(in.person().language()).orElse(lang);
        String token = p.doubleOptIn() ? Tokens.random() : null;
        return new SignatureBatch.Item(p, in, phone, mailLang, source, ipHash, token, limited);
    }

    @Override
    public void close() {
        writer.close();
        aside.shutdown();
    }

    static int intSetting(String name, int fallback) {
        String v = System.getProperty(name, System.getenv(name));
        try {
            return v == null || v.isBlank() ? fallback : Math.max(1, Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * Someone signs again while their signature still waits for confirmation (the first email was
     * lost or expired): they get a fresh link instead of "already signed"; the old link stops working.
     */
    private Optional<Result> resendIfPending(Petition p, SignatureInput in, Lang lang) {
        if (!p.doubleOptIn()) return Optional.empty();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            String token = Tokens.random();
            var row = tx.update(SIGNATURES)
                    .set(SIGNATURES.TOKEN_HASH, Tokens.sha256(token))
                    .set(SIGNATURES.TOKEN_EXPIRES_AT, OffsetDateTime.now().plus(CONFIRM_VALID_FOR))
                    .where(SIGNATURES.PETITION_ID.eq(p.id()))
                    .and(SIGNATURES.STATUS.eq(SignatureStatus.PENDING.value()))
                    .and(SIGNATURES.PERSON_ID.eq(tx.select(PEOPLE.ID).from(PEOPLE)
                            .where(PEOPLE.EMAIL_NORMALIZED.eq(org.convoca.auth.Emails.normalize(in.person().email())))))
                    .returningResult(SIGNATURES.ID, SIGNATURES.PERSON_ID)
                    .fetchOptional();
            if (row.isEmpty()) return Optional.<Result>empty();
            var person = tx.select(PEOPLE.EMAIL, PEOPLE.GIVEN_NAME).from(PEOPLE).where(PEOPLE.ID.eq(row.get().value2()))
                    .fetchSingle();
            var email = mail.confirmation(p, row.get().value1(), person.value1(), person.value2(), lang, token);
            Outbox.enqueue(tx, new org.convoca.mail.OutgoingEmail(email.kind(), email.dedupeKey() + ":" + token.substring(0, 8),
                    email.toAddress(), email.toName(), email.replyTo(), email.subject(), email.textBody(), email.htmlBody(),
                    email.headers()));
            return Optional.of(new Result(Outcome.PENDING, row.get().value1(), null));
        });
    }

    /**
     * Follows a double opt-in link: the pending signature becomes confirmed (and counts) once; the
     * token is cleared so the link cannot be used again, and it must not have expired.
     */
    public Optional<Result> confirm(Petition p, String token) {
        if (token == null || token.isBlank() || token.length() > 100) return Optional.empty();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            OffsetDateTime now = OffsetDateTime.now();
            var row = tx.update(SIGNATURES)
                    .set(SIGNATURES.STATUS, SignatureStatus.CONFIRMED.value())
                    .set(SIGNATURES.CONFIRMED_AT, now)
                    .setNull(SIGNATURES.TOKEN_HASH)
                    .setNull(SIGNATURES.TOKEN_EXPIRES_AT)
                    .where(SIGNATURES.PETITION_ID.eq(p.id()))
                    .and(SIGNATURES.TOKEN_HASH.eq(Tokens.sha256(token.strip())))
                    .and(SIGNATURES.STATUS.eq(SignatureStatus.PENDING.value()))
                    .and(SIGNATURES.TOKEN_EXPIRES_AT.gt(now))
                    .returningResult(SIGNATURES.ID, SIGNATURES.PERSON_ID, SIGNATURES.LANGUAGE)
                    .fetchOptional();
            if (row.isEmpty()) return Optional.<Result>empty();
            long personId = row.get().value2();
            Lang lang = Lang.parse(row.get().value3()).orElse(Lang.EN);
            Activities.record(tx, personId, "petition.confirmed", p.id(), Map.of("title", p.title()));
            var person = tx.select(PEOPLE.EMAIL, PEOPLE.GIVEN_NAME, PEOPLE.REFERRAL_CODE).from(PEOPLE)
                    .where(PEOPLE.ID.eq(personId)).fetchSingle();
            Outbox.enqueue(tx, mail.thanks(p, row.get().value1(), person.value1(), person.value2(), lang, person.value3()));
            return Optional.of(new Result(Outcome.SIGNED, row.get().value1(), person.value3()));
        });
    }
}
