package dev.isolate.engine.consumer;

import dev.isolate.engine.ar.ArchiveWriter;
import dev.isolate.engine.ar.Members;
import dev.isolate.engine.policy.Export;
import dev.isolate.engine.stubs.StubEmitter;
import dev.isolate.engine.stubs.StubObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
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
        return ArchiveWriter.write(out, new Members() {
            @Override
            public int count() {
                return stubs.size();
            }

            @Override
            public String name(int i) {
                return memberName(i);
            }

            @Override
            public long size(int i) {
                Export e = stubs.get(i);
                return obj.size(e.name(), e.newName());
            }

            @Override
            public int symbolCount(int i) {
                return 1;
            }

            @Override
            public String symbol(int i, int k) {
                return stubs.get(i).name();
            }

            @Override
            public void write(int i, ByteBuffer b) {
                Export e = stubs.get(i);
                obj.write(b, e.name(), e.newName());
            }
        });
    }
}
