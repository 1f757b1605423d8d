package org.convoca.web;

/** A validation failure on one input: {@code field} is the form input / JSON name, {@code key} a message key. */
public record FieldError(String field, String key) {
}
