package org.convoca.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;

/** The API's JSON: snake_case names (as OSDI), ISO-8601 dates, and clear 400s for bad bodies. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /** The request body as a JSON object; a 400 problem when it is missing or not JSON. */
    public static JsonNode body(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase().contains("json")) {
            throw new Problem(415, "Unsupported Media Type", "Send the body as application/json");
        }
        try {
            JsonNode node = MAPPER.readTree(ctx.bodyAsBytes());
            if (node == null || !node.isObject()) throw Problem.badRequest("The body must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("The body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw Problem.badRequest("The body could not be read");
        }
    }
}
