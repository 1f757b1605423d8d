package org.convoca.event;

import org.convoca.db.AppSecrets;

/** Public addresses of events, and the signed "I can't come any more" link in reminders. */
public final class EventLinks {
    private final String baseUrl;
    private final AppSecrets secrets;

    public EventLinks(String baseUrl, AppSecrets secrets) {
        this.baseUrl = baseUrl;
        this.secrets = secrets;
    }

    public String browserUrl(Event e) {
        return baseUrl + "/e/" + e.id();
    }

    public String eventReferralUrl(Event e, String code) {
        return browserUrl(e) + "?ref=" + code;
    }

    public String path(long eventId) {
        return "/e/" + eventId;
    }

    public String cancelUrl(long eventId, long attendanceId) {
        return baseUrl + "/e/" + eventId + "/cancel/" + attendanceId + "/" + signature(attendanceId);
    }

    /** The self check-in address printed as a QR code at the door; the token proves you saw it. */
    public String selfCheckInUrl(long eventId) {
        return baseUrl + selfCheckInPath(eventId);
    }

    public String selfCheckInPath(long eventId) {
        return "/e/" + eventId + "/here/" + secrets.hmac("event-self-check-in:" + eventId).substring(0, 24);
    }

    public boolean verifySelfCheckIn(long eventId, String token) {
        return token != null && java.security.MessageDigest.isEqual(
                selfCheckInPath(eventId).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                ("/e/" + eventId + "/here/" + token).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public String signature(long attendanceId) {
        return secrets.hmac("attendance-cancel:" + attendanceId).substring(0, 32);
    }

    public boolean verify(long attendanceId, String signature) {
        return signature != null && java.security.MessageDigest.isEqual(
                signature(attendanceId).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
