package dev.isolate.engine.consumer;

import dev.isolate.engine.json.Json;
import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.Links;
import java.util.AbstractList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest, and each library of {@code inspect --json}: one shape for both. What went in (the input's
 * file name and SHA-256: the file name only, so the manifest is the same on every machine), what came out (the
 * new SONAME, where the names came from and why, the link name, the artifacts), every renamed export with its type, binding, version and
 * whether it has a stub (and why not), every kept export and why, and the warnings. The per-symbol
 * lists are lazy views: a 45k-symbol manifest streams without a map per symbol held at once.
 */
public final class Manifest {
    private Manifest() {}

    /** {@link Export#typeName()} and {@link Export#bindName()} for every 4-bit value, once, not once per symbol. */
    private static final String[] TYPES = new String[16];
    private static final String[] BINDS = new String[16];

    static {
        for (int i = 0; i < 16; i++) {
            TYPES[i] = dev.isolate.engine.elf.Elf.sttName(i).replace("STT_", "");
            BINDS[i] = dev.isolate.engine.elf.Elf.stbName(i).replace("STB_", "");
        }
    }

    public static Map<String, Object> toJson(Library lib) {
        Map<String, Object> m = new LinkedHashMap<>();
        Classification c = lib.classification();
        m.put("input", lib.input().getFileName().toString());
        m.put("inputSha256", lib.inputSha256());
        m.put("machine", lib.machine());
        m.put("platform", lib.platform());
        m.put("prefix", lib.prefix());
        m.put("soname", lib.oldSoname());
        m.put("newSoname", lib.newSoname());
        Map<String, Object> naming = new LinkedHashMap<>();
        naming.put("from", lib.naming().source().id());
        naming.put("reason", lib.naming().reason());
        m.put("naming", naming);
        m.put("name", lib.name());
        // A library without a link name (a JNI library, unless one was asked for) has no artifacts but itself:
        // the others are null, never names of files that are not written.
        ArtifactNames n = lib.artifacts();
        Map<String, Object> artifacts = new LinkedHashMap<>();
        artifacts.put("library", lib.fileName());
        artifacts.put("stubArchive", n == null ? null : n.stubArchive());
        artifacts.put("linkerScript", n == null ? null : n.linkerScript());
        artifacts.put("header", n == null ? null : n.header());
        artifacts.put("manifest", n == null ? null : n.manifest());
        m.put("artifacts", artifacts);
        m.put("stubs", n == null ? 0 : lib.stubs().size());
        m.put("renamed", view(c.renamed(), Manifest::renamed));
        m.put("kept", view(c.kept(), Manifest::kept));
        m.put("undefinedImports", c.undefinedImports());
        Links l = lib.links();
        m.put("imports", view(l.imports(), Manifest::imported));
        m.put("needed", new LinkedHashMap<>(l.needed()));
        m.put("runpath", l.runpath());
        m.put("unbundled", l.unbundled());
        Map<String, Object> warnings = new LinkedHashMap<>();
        c.warnings().forEach((cat, list) -> warnings.put(cat.id(), Json.oneCharPerByte(list.stream().map(Export::name).toList())));
        m.put("warnings", warnings);
        return m;
    }

    private static final List<String> RENAMED = List.of("name", "newName", "type", "bind", "version", "defaultVersion", "stub",
            "noStub");
    private static final List<String> IMPORTED = List.of("name", "newName", "version");
    private static final List<String> KEPT = List.of("name", "reason", "type", "bind", "defined");

    /** One renamed export: a view, not a map per symbol. */
    private static Json.Fields renamed(Export e) {
        return new Entry(RENAMED, i -> switch (i) {
            case 0 -> e.name();
            case 1 -> e.newName();
            case 2 -> TYPES[e.type() & 0xf];
            case 3 -> BINDS[e.bind() & 0xf];
            case 4 -> e.version();
            case 5 -> e.defaultVersion();
            case 6 -> e.stubbable();
            default -> e.noStub() == null ? null : e.noStub().id();
        });
    }

    /** An undefined reference renamed to follow another bundle member. */
    private static Json.Fields imported(Export e) {
        return new Entry(IMPORTED, i -> switch (i) {
            case 0 -> e.name();
            case 1 -> e.newName();
            default -> e.version();
        });
    }

    private static Json.Fields kept(Export e) {
        return new Entry(KEPT, i -> switch (i) {
            case 0 -> e.name();
            case 1 -> e.reason().id();
            case 2 -> TYPES[e.type() & 0xf];
            case 3 -> BINDS[e.bind() & 0xf];
            default -> e.defined();
        });
    }

    /** Its strings are names from {@code .dynstr} and the engine's own ids: one char per byte. */
    private record Entry(List<String> keys, java.util.function.IntFunction<Object> values) implements Json.Fields {
        @Override
        public Object value(int i) {
            return values.apply(i);
        }

        @Override
        public boolean oneCharPerByte() {
            return true;
        }
    }

    private static List<Object> view(List<Export> list, java.util.function.Function<Export, Object> f) {
        return new AbstractList<>() {
            @Override
            public Object get(int i) {
                return f.apply(list.get(i));
            }

            @Override
            public int size() {
                return list.size();
            }
        };
    }
}
