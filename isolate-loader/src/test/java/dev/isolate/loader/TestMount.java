package dev.isolate.loader;

import dev.isolate.engine.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mounts under the test work directory, for the tests that need a mount option (noexec, ro). Needs root or
 * CAP_SYS_ADMIN: a refused mount fails the test under CI=true and aborts it locally, never passes it.
 */
final class TestMount {
    private TestMount() {}

    /** Runs each {@code mount} command (arguments after "mount"; the mount point is {@code at}) after clearing {@code at}. */
    static Path mount(Path at, List<List<String>> commands) {
        Tools.require("mount", "umount");
        unmount(at); // a mount left by an interrupted run
        for (List<String> args : commands) {
            List<String> cmd = new ArrayList<>();
            cmd.add("mount");
            cmd.addAll(args);
            Tools.Result r = Tools.run(cmd, Tools.DEFAULT_TIMEOUT, true);
            if (r.exit() != 0) {
                Tools.unavailable("cannot mount on " + at + " (needs root or CAP_SYS_ADMIN): " + r.describe());
            }
        }
        return at;
    }

    /** Unmounts everything stacked on {@code at}. */
    static void unmount(Path at) {
        while (at != null && Mounts.of(at).map(m -> m.mountPoint().equals(at.toString())).orElse(false)) {
            Tools.runMerged("umount", at.toString()).ok();
        }
    }
}
