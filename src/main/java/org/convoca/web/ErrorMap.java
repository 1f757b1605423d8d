package org.convoca.web;

import java.util.LinkedHashMap;

/**
 * Field name → error message for a form. Templates ask {@code errors[name]} for every field; a field
 * without an error is simply null, which Pebble's strict mode (on in tests) would otherwise refuse.
 */
public final class ErrorMap extends LinkedHashMap<String, String> {
    @Override
    public boolean containsKey(Object key) {
        return true;
    }

    public static ErrorMap of(String field, String message) {
        ErrorMap m = new ErrorMap();
        m.put(field, message);
        return m;
    }
}
