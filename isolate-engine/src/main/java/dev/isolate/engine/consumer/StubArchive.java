package dev.isolate.engine.consumer;

import dev.isolate.engine.ar.ArMember;
import dev.isolate.engine.ar.ArchiveWriter;
import dev.isolate.engine.policy.Export;
import dev.isolate.engine.stubs.StubEmitter;
import dev.isolate.engine.stubs.StubObject;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code libN_stubs.a}: one stub object per stubbed export, in {@code .dynsym} order, each member named
 * {@code sNNNNN.o} by its position (short, so names of any length work and {@code ar x} can extract
 * them), and the {@code /} index mapping every original name to its member.
 */
public final class StubArchive {
    private StubArchive() {}

    /** {@code s00042.o}: five digits at least, more when there are more stubs. */
    public static String memberName(int i) {
        String digits = Integer.toString(i);
        return "s" + "00000".substring(Math.min(5, digits.length())) + digits + ".o";
    }

    /** Writes the archive and returns its size. */
    public static long write(WritableByteChannel out, List<Export> stubs, StubEmitter emitter) throws IOException {
        StubObject obj = new StubObject(emitter);
        List<ArMember> members = new ArrayList<>(stubs.size());
        for (int i = 0; i < stubs.size(); i++) {
            Export e = stubs.get(i);
            members.add(new ArMember(memberName(i), obj.size(e.name(), e.newName()), List.of(e.name())));
        }
        return ArchiveWriter.write(out, members, (i, buf) -> obj.write(buf, stubs.get(i).name(), stubs.get(i).newName()));
    }
}
