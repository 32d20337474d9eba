package dev.isolate.engine.policy;

import dev.isolate.engine.elf.Elf;
import java.util.List;

/**
 * One dynamic symbol the policy looked at: a defined export (renamed or kept) or a weak undefined hook.
 *
 * @param index     index in {@code .dynsym} of the input
 * @param version   version name, or null when unversioned
 * @param defaultVersion false for a hidden, non-default version ({@code foo@V1} beside {@code foo@@V2})
 * @param newName   the name in the output; equal to {@code name} when kept
 * @param reason    why the name is kept, or null when renamed
 */
public record Export(int index, String name, String version, boolean defaultVersion, int type, int bind,
        int visibility, boolean defined, String newName, SkipReason reason, List<WarningCategory> warnings) {

    public boolean renamed() {
        return reason == null;
    }

    /**
     * A renamed function gets a stub that tail-calls the prefixed name (IFUNCs too: the stub calls through
     * the PLT, which runs the resolver); only the default version of a versioned name does, since that is
     * the one a new link binds to. Data and TLS cannot be reached through code at all.
     */
    public boolean stubbable() {
        return renamed() && noStub() == null;
    }

    /** Why this renamed export gets no stub, or null when it gets one or is kept. */
    public NoStub noStub() {
        if (!renamed()) {
            return null;
        }
        if (type == Elf.STT_OBJECT || type == Elf.STT_COMMON) {
            return NoStub.DATA;
        }
        if (type == Elf.STT_TLS) {
            return NoStub.TLS;
        }
        if (type != Elf.STT_FUNC && type != Elf.STT_GNU_IFUNC) {
            return NoStub.NOT_CODE;
        }
        return defaultVersion ? null : NoStub.NON_DEFAULT_VERSION;
    }

    public String typeName() {
        return Elf.sttName(type).replace("STT_", "");
    }

    public String bindName() {
        return Elf.stbName(bind).replace("STB_", "");
    }
}
