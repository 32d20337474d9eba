package dev.isolate.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** JNI's name mangling, against the names javac -h writes for the same methods. */
class JniNamesTest {
    static final class Natives_\u00e9 {
        static native int plain();

        static native void over(int a, String[] b);

        static native long over(long[][] a);

        static native Object under_score(java.util.List<String> l);
    }

    @Test
    void shortAndLongNames() {
        String c = "Java_dev_isolate_loader_JniNamesTest_00024Natives_1_000e9_";
        assertEquals(List.of(
                new JniNames.NativeMethod("over", "(I[Ljava/lang/String;)V", c + "over", c + "over__I_3Ljava_lang_String_2"),
                new JniNames.NativeMethod("over", "([[J)J", c + "over", c + "over___3_3J"),
                new JniNames.NativeMethod("plain", "()I", c + "plain", c + "plain__"),
                new JniNames.NativeMethod("under_score", "(Ljava/util/List;)Ljava/lang/Object;", c + "under_1score",
                        c + "under_1score__Ljava_util_List_2")), JniNames.of(Natives_\u00e9.class));
    }
}
