package dev.isolate.engine.merge;

import dev.isolate.engine.elf.ElfHash;
import dev.isolate.engine.elf.Verdef;
import dev.isolate.engine.elf.Verneed;
import dev.isolate.engine.write.DynstrTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merged {@code .gnu.version_d} and {@code .gnu.version_r}. Version indexes are one space: 1 is the BASE
 * definition (the merged file's SONAME), then the versions the kept exports are defined in (by name: libssl
 * and libcrypto both define {@code OPENSSL_3.0.0}, which becomes one node), then the versions the imports
 * require, grouped by the library they are required of ({@code vn_file}, a DT_NEEDED that stays outside).
 * Version-definition parents ({@code vd_cnt} > 1) are not kept: ld.so checks names, never parents.
 */
final class VersionTables {
    private final String soname;
    private final List<String> defined = new ArrayList<>();
    private final Map<String, Map<String, Integer>> required = new LinkedHashMap<>(); // file -> name -> vna_flags
    private final Map<String, Integer> requiredIndex = new LinkedHashMap<>();
    private boolean frozen;

    VersionTables(String soname) {
        this.soname = soname;
    }

    /** The index of defined version {@code name}, added the first time. */
    int define(String name) {
        if (frozen) {
            throw new IllegalStateException("versions defined after requirements were numbered");
        }
        int i = defined.indexOf(name);
        if (i < 0) {
            defined.add(name);
            i = defined.size() - 1;
        }
        return i + 2;
    }

    void require(String file, String name, int flags) {
        required.computeIfAbsent(file, k -> new LinkedHashMap<>()).merge(name, flags, (a, b) -> a & b);
    }

    /** Numbers the required versions after the defined ones; call once every definition is known. */
    void freeze() {
        frozen = true;
        int next = hasVerdef() ? defined.size() + 2 : 2;
        for (var f : required.entrySet()) {
            for (String n : f.getValue().keySet()) {
                requiredIndex.put(f.getKey() + "\0" + n, next++);
            }
        }
    }

    int requiredIndex(String file, String name) {
        return requiredIndex.get(file + "\0" + name);
    }

    boolean hasVerdef() {
        return !defined.isEmpty();
    }

    boolean hasVerneed() {
        return !required.isEmpty();
    }

    int verdefCount() {
        return defined.size() + 1;
    }

    int verneedCount() {
        return required.size();
    }

    long verdefSize() {
        return hasVerdef() ? (long) verdefCount() * (Verdef.SIZE + Verdef.AUX_SIZE) : 0;
    }

    long verneedSize() {
        long n = 0;
        for (var f : required.values()) {
            n += Verneed.SIZE + (long) Verneed.AUX_SIZE * f.size();
        }
        return n;
    }

    /** Adds every name the tables point at to {@code strings}, so their offsets are known before writing. */
    void addStrings(DynstrTable strings) {
        strings.add(soname);
        defined.forEach(strings::add);
        for (var f : required.entrySet()) {
            strings.add(f.getKey());
            f.getValue().keySet().forEach(strings::add);
        }
    }

    byte[] verdef(DynstrTable strings) {
        ByteBuffer b = ByteBuffer.allocate((int) verdefSize()).order(ByteOrder.LITTLE_ENDIAN);
        List<String> all = new ArrayList<>();
        all.add(soname);
        all.addAll(defined);
        int rec = Verdef.SIZE + Verdef.AUX_SIZE;
        for (int i = 0; i < all.size(); i++) {
            int at = i * rec;
            b.putShort(at, (short) 1); // vd_version
            b.putShort(at + 2, (short) (i == 0 ? dev.isolate.engine.elf.Elf.VER_FLG_BASE : 0)); // vd_flags
            b.putShort(at + 4, (short) (i + 1)); // vd_ndx
            b.putShort(at + 6, (short) 1); // vd_cnt
            b.putInt(at + 8, (int) hash(all.get(i))); // vd_hash
            b.putInt(at + 12, Verdef.SIZE); // vd_aux
            b.putInt(at + 16, i + 1 < all.size() ? rec : 0); // vd_next
            b.putInt(at + 20, (int) strings.add(all.get(i))); // vda_name
            b.putInt(at + 24, 0); // vda_next
        }
        return b.array();
    }

    byte[] verneed(DynstrTable strings) {
        ByteBuffer b = ByteBuffer.allocate((int) verneedSize()).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        int files = 0;
        for (var f : required.entrySet()) {
            int n = f.getValue().size();
            b.putShort(at, (short) 1); // vn_version
            b.putShort(at + 2, (short) n); // vn_cnt
            b.putInt(at + 4, (int) strings.add(f.getKey())); // vn_file
            b.putInt(at + 8, Verneed.SIZE); // vn_aux
            b.putInt(at + 12, ++files < required.size() ? Verneed.SIZE + Verneed.AUX_SIZE * n : 0); // vn_next
            int aux = at + Verneed.SIZE;
            int k = 0;
            for (var v : f.getValue().entrySet()) {
                b.putInt(aux, (int) hash(v.getKey())); // vna_hash
                b.putShort(aux + 4, (short) (int) v.getValue()); // vna_flags
                b.putShort(aux + 6, (short) requiredIndex(f.getKey(), v.getKey())); // vna_other
                b.putInt(aux + 8, (int) strings.add(v.getKey())); // vna_name
                b.putInt(aux + 12, ++k < n ? Verneed.AUX_SIZE : 0); // vna_next
                aux += Verneed.AUX_SIZE;
            }
            at = aux;
        }
        return b.array();
    }

    private static long hash(String s) {
        return ElfHash.sysv(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
