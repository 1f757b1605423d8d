package org.convoca.db;

import static org.convoca.db.schema.Tables.APP_SECRETS;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.convoca.auth.Tokens;
import org.jooq.DSLContext;

/**
 * Server-side secrets generated on first start and shared by all instances through the database,
 * such as the HMAC key that turns a client address into an unlinkable hash.
 */
public final class AppSecrets {
    private final byte[] hmacKey;
    /**
     * One keyed Mac per thread: looking up the provider and keying it cost more than the hash
     * itself, and every sign-form post needs two (its form stamp, its address), every blast email
     * several (its signed links).
     */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public AppSecrets(DSLContext dsl) {
        // Insert-if-absent then read: two instances starting together agree on one value.
        dsl.insertInto(APP_SECRETS, APP_SECRETS.NAME, APP_SECRETS.VALUE)
                .values("hmac", Tokens.random())
                .onConflictDoNothing()
                .execute();
        this.hmacKey = dsl.select(APP_SECRETS.VALUE).from(APP_SECRETS).where(APP_SECRETS.NAME.eq("hmac"))
                .fetchSingle(APP_SECRETS.VALUE).getBytes(StandardCharsets.UTF_8);
    }

    /** HMAC-SHA256 of a value (hex): stable across instances, useless without the key. */
    public String hmac(String value) {
        // doFinal resets the Mac to its keyed initial state, ready for the next value.
        return HexFormat.of().formatHex(macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
