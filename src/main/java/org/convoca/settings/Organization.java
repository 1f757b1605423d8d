package org.convoca.settings;

import org.convoca.web.Lang;

/** The organization's settings: its name, the postal address printed in every email, the sender. */
public record Organization(String name, String postalAddress, String senderEmail, String senderName,
                           Lang defaultLanguage) {
}
