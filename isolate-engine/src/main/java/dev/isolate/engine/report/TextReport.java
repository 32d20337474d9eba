package dev.isolate.engine.report;

import dev.isolate.engine.common.Plural;
import dev.isolate.engine.consumer.Library;
import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.Links;
import dev.isolate.engine.policy.Naming;

/**
 * The human report of one library, as {@code isolate inspect} prints it and the plugin's {@code inspect} goal logs
 * it: the same facts as the manifest ({@link JsonReport}), from the same {@link Library}, in lines a person reads.
 */
public final class TextReport {
    private TextReport() {}

    public static String of(Library r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.input()).append(" (").append(r.platform()).append(")\n");
        Naming naming = r.naming();
        sb.append("  SONAME ").append(r.oldSoname() == null ? "(none)" : r.oldSoname());
        if (naming.source() == Naming.Source.KEPT) {
            sb.append(r.oldSoname() == null ? ", none added" : " kept");
        } else {
            sb.append(" -> ").append(r.newSoname());
        }
        sb.append(", file ").append(naming.fileName()).append(" (").append(naming.reason()).append(")\n");
        Classification c = r.classification();
        ArtifactNames n = r.artifacts();
        if (n == null) {
            sb.append("  no artifacts for native consumers: nothing links against a JNI library (--name N writes them)\n");
        } else {
            sb.append("  for -l").append(n.name()).append(": ").append(n.stubArchive()).append(" (")
                    .append(Plural.of(r.stubs().size(), "stub")).append("), ").append(n.linkerScript())
                    .append(" (linker script), ").append(n.header()).append(", ").append(n.manifest()).append('\n');
        }
        sb.append("  rename ").append(Plural.of(c.renamed().size(), "export")).append(":\n");
        for (Export e : c.renamed()) {
            sb.append("    ").append(e.name()).append(version(e)).append(" -> ").append(e.newName())
                    .append("  [").append(e.typeName()).append(' ').append(e.bindName())
                    .append(e.stubbable() ? ", stub" : ", no stub: " + e.noStub().text()).append("]\n");
        }
        sb.append("  keep ").append(c.kept().size()).append(":\n");
        for (Export e : c.kept()) {
            sb.append("    ").append(e.name()).append(version(e)).append("  (").append(e.reason().text()).append(")\n");
        }
        sb.append("  undefined imports: ").append(c.undefinedImports()).append('\n');
        Links l = r.links();
        if (!l.imports().isEmpty()) {
            sb.append("  follow the bundle ").append(Plural.of(l.imports().size(), "import")).append(":\n");
            for (Export e : l.imports()) {
                sb.append("    ").append(e.name()).append(version(e)).append(" -> ").append(e.newName()).append('\n');
            }
        }
        l.needed().forEach((from, to) -> sb.append("  DT_NEEDED ").append(from).append(" -> ").append(to).append('\n'));
        if (l.runpath() != null) {
            sb.append("  DT_RUNPATH ").append(l.runpath()).append('\n');
        }
        for (String u : l.unbundled()) {
            sb.append("  warning unbundled-dependency: needs ").append(u).append(", ").append(Links.UNBUNDLED).append('\n');
        }
        var w = c.warnings();
        if (w.isEmpty()) {
            sb.append("  warnings: none\n");
        }
        w.forEach((cat, list) -> sb.append("  warning ").append(cat.id()).append(": ").append(list.size())
                .append(" (").append(String.join(", ", list.stream().limit(5).map(Export::name).toList()))
                .append(list.size() > 5 ? ", ..." : "").append(")\n"));
        boolean cxx = c.renamed().stream().anyMatch(e -> e.name().startsWith("_Z"));
        if (cxx) {
            sb.append("  note: C++ names with a prefix in front no longer demangle, and vtables/typeinfo (_ZTV*, _ZTI*) are data: no stub can stand in for them\n");
        }
        return sb.toString();
    }

    private static String version(Export e) {
        return e.version() == null ? "" : (e.defaultVersion() ? "@@" : "@") + e.version();
    }
}
