package org.convoca.mail;

/** One claimed delivery with what rendering needs to know about its person. */
public record Recipient(long deliveryId, long messageId, long personId, String email, String givenName,
                        String familyName, String language, String referralCode, String postalCode, int attempts) {
}
