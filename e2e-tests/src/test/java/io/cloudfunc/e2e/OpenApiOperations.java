package io.cloudfunc.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public operations as docs/openapi.json describes them: method, path template, parameters, the media types of
 * the body, the body's fields (name to JSON type) and its examples. What {@link PublicApiFuzzIT} builds requests from,
 * so a route added to the document is fuzzed without touching the test.
 */
final class OpenApiOperations {

    private static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");

    /**
     * @param fields  the body's top-level fields and their JSON types ("string", "integer", "object", ...)
     * @param examples the documented example bodies (JSON objects)
     */
    record Operation(String method, String path, List<String> pathParams, List<String> queryParams,
                     List<String> headerParams, List<String> mediaTypes, Map<String, String> fields,
                     List<JsonNode> examples) {

        boolean mutating() {
            return !method.equals("GET");
        }

        boolean invokes() {
            return path.endsWith("/invoke") || path.startsWith("/invoke/");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private OpenApiOperations() {
    }

    static List<Operation> read(Path document) {
        JsonNode root = JsonMapper.builder().build().readTree(document.toFile());
        JsonNode schemas = root.path("components").path("schemas");
        List<Operation> operations = new ArrayList<>();
        for (var path : root.path("paths").properties()) {
            for (var entry : path.getValue().properties()) {
                if (!METHODS.contains(entry.getKey())) {
                    continue;
                }
                JsonNode operation = entry.getValue();
                List<String> pathParams = new ArrayList<>();
                List<String> queryParams = new ArrayList<>();
                List<String> headerParams = new ArrayList<>();
                for (JsonNode parameter : operation.path("parameters")) {
                    String name = parameter.path("name").asString();
                    switch (parameter.path("in").asString()) {
                        case "path" -> pathParams.add(name);
                        case "query" -> queryParams.add(name);
                        case "header" -> headerParams.add(name);
                        default -> { }
                    }
                }
                List<String> mediaTypes = new ArrayList<>();
                Map<String, String> fields = new LinkedHashMap<>();
                List<JsonNode> examples = new ArrayList<>();
                for (var content : operation.path("requestBody").path("content").properties()) {
                    mediaTypes.add(content.getKey());
                    JsonNode schema = resolve(content.getValue().path("schema"), schemas);
                    for (var field : schema.path("properties").properties()) {
                        fields.putIfAbsent(field.getKey(), type(resolve(field.getValue(), schemas)));
                    }
                    for (JsonNode example : content.getValue().path("examples")) {
                        if (example.path("value").isObject()) {
                            examples.add(example.path("value"));
                        }
                    }
                }
                operations.add(new Operation(entry.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(),
                        pathParams, queryParams, headerParams, mediaTypes, fields, examples));
            }
        }
        return operations;
    }

    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        String ref = schema.path("$ref").asString("");
        return ref.isEmpty() ? schema : schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private static String type(JsonNode schema) {
        if (schema.has("type")) {
            return schema.path("type").asString();
        }
        return schema.has("properties") ? "object" : "string";
    }
}
