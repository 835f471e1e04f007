package io.coredumptools.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;

/** {@code corestub info --json}: the {@link InfoReport} as one JSON document, snake_case, nulls kept. */
public final class InfoJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private InfoJson() {}

    public static String toJson(InfoReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the report", e);
        }
    }

    public static void write(InfoReport report, PrintWriter out) {
        out.println(toJson(report));
        out.flush();
    }

    /** The report with more top-level fields (e.g. the load-time patches), still one JSON document. */
    public static void write(InfoReport report, java.util.Map<String, Object> extraFields, PrintWriter out) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = MAPPER.valueToTree(report);
        extraFields.forEach((name, value) -> tree.set(name, MAPPER.valueToTree(value)));
        try {
            out.println(MAPPER.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the report", e);
        }
        out.flush();
    }
}
