package dev.isolate.engine.consumer;

import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import java.util.AbstractList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest, and {@code inspect --json}: one shape for both. What went in (the input's file name
 * and SHA-256: the file name only, so the manifest is the same on every machine), what came out (the
 * new SONAME, the link name, the artifacts), every renamed export with its type, binding, version and
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
        m.put("name", lib.name());
        ArtifactNames n = lib.artifacts();
        Map<String, Object> artifacts = new LinkedHashMap<>();
        artifacts.put("library", lib.newSoname());
        artifacts.put("stubArchive", n.stubArchive());
        artifacts.put("linkerScript", n.linkerScript());
        artifacts.put("header", n.header());
        artifacts.put("manifest", n.manifest());
        m.put("artifacts", artifacts);
        m.put("stubs", lib.stubs().size());
        m.put("renamed", view(c.renamed(), Manifest::renamed));
        m.put("kept", view(c.kept(), Manifest::kept));
        m.put("undefinedImports", c.undefinedImports());
        Map<String, Object> warnings = new LinkedHashMap<>();
        c.warnings().forEach((cat, list) -> warnings.put(cat.id(), list.stream().map(Export::name).toList()));
        m.put("warnings", warnings);
        return m;
    }

    private static Map<String, Object> renamed(Export e) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", e.name());
        x.put("newName", e.newName());
        x.put("type", TYPES[e.type() & 0xf]);
        x.put("bind", BINDS[e.bind() & 0xf]);
        x.put("version", e.version());
        x.put("defaultVersion", e.defaultVersion());
        x.put("stub", e.stubbable());
        x.put("noStub", e.noStub() == null ? null : e.noStub().id());
        return x;
    }

    private static Map<String, Object> kept(Export e) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", e.name());
        x.put("reason", e.reason().id());
        x.put("type", TYPES[e.type() & 0xf]);
        x.put("bind", BINDS[e.bind() & 0xf]);
        x.put("defined", e.defined());
        return x;
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
