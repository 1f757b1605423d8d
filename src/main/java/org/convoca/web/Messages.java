package org.convoca.web;

import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * The user-facing strings, from {@code i18n/messages_en.properties} and {@code messages_es}.
 * No fallback between languages: a key missing in one is caught by MessageBundlesInSyncTest.
 */
public final class Messages {
    private final Map<Lang, ResourceBundle> bundles = new EnumMap<>(Lang.class);

    public Messages() {
        for (Lang lang : Lang.values()) {
            bundles.put(lang, ResourceBundle.getBundle("i18n.messages", lang.locale(),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
        }
    }

    public String get(Lang lang, String key, Object... args) {
        ResourceBundle bundle = bundles.get(lang);
        if (!bundle.containsKey(key)) {
            return key;  // visible in the page, and the sync test fails on it
        }
        String pattern = bundle.getString(key);
        return args.length == 0 ? pattern : new MessageFormat(pattern, lang.locale()).format(args);
    }

    public boolean has(Lang lang, String key) {
        return bundles.get(lang).containsKey(key);
    }

    public Set<String> keys(Lang lang) {
        return bundles.get(lang).keySet();
    }
}
