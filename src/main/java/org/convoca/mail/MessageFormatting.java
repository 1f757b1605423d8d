package org.convoca.mail;

/** Small text helpers shared by the blast pipeline. */
final class MessageFormatting {
    private MessageFormatting() {
    }

    /** Header values are one line: CR and LF can never start a new header. */
    static String oneLine(String s) {
        return SmtpMailer.oneLine(s);
    }
}
