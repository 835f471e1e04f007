package io.coredumptools.rsp.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void nestedObjectsAndArraysGetCommasOnlyBetweenMembers() {
        String json = new JsonWriter()
                .beginArray()
                .beginObject()
                .name("a")
                .value(1)
                .name("r")
                .beginObject()
                .name("16")
                .value("00ff")
                .endObject()
                .name("tid")
                .value(-2)
                .endObject()
                .beginObject()
                .endObject()
                .endArray()
                .toString();
        assertThat(json).isEqualTo("[{\"a\":1,\"r\":{\"16\":\"00ff\"},\"tid\":-2},{}]");
    }

    @Test
    void stringsAreEscaped() {
        String json = new JsonWriter()
                .beginObject()
                .name("na\"me")
                .value("a\\b\n\t\r\u0001\u001f/é")
                .endObject()
                .toString();
        assertThat(json).isEqualTo("{\"na\\\"me\":\"a\\\\b\\n\\t\\r\\u0001\\u001f/é\"}");
    }

    @Test
    void deepNestingGrowsTheStack() {
        JsonWriter w = new JsonWriter();
        for (int i = 0; i < 20; i++) {
            w.beginArray();
        }
        w.value(1).value(2);
        for (int i = 0; i < 20; i++) {
            w.endArray();
        }
        assertThat(w.toString()).isEqualTo("[".repeat(20) + "1,2" + "]".repeat(20));
    }
}
