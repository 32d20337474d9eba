package dev.isolate.engine.report;

import dev.isolate.engine.consumer.Library;
import dev.isolate.engine.consumer.Manifest;
import dev.isolate.engine.json.Json;
import java.util.List;
import java.util.Map;

/**
 * The machine report of {@code inspect --json} and of the plugin's {@code inspect} goal, one shape for one library or
 * many: {@code {"libraries": [...]}}, each element the library's manifest ({@link Manifest}).
 */
public final class JsonReport {
    private JsonReport() {}

    public static String of(List<Library> libraries) {
        return Json.write(Map.of("libraries", libraries.stream().map(l -> (Object) Manifest.toJson(l)).toList()));
    }
}
