package dev.isolate.loader;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The names the JVM looks a {@code native} method up by (JNI specification, "Resolving Native Method Names"):
 * {@code Java_} + mangled binary class name + {@code _} + mangled method name (the short name), then that +
 * {@code __} + mangled argument descriptor (the long name, for overloads). Mangling: {@code /} is {@code _},
 * {@code _} is {@code _1}, {@code ;} is {@code _2}, {@code [} is {@code _3}, ASCII letters and digits stay, every
 * other UTF-16 unit is {@code _0xxxx} (lowercase hex). A segregated library is not looked up by the JVM, so the
 * loader looks each name up itself, short name first as the JVM does, and binds it with {@code RegisterNatives}.
 */
final class JniNames {
    private JniNames() {}

    /** One {@code native} method and its two JNI names. */
    record NativeMethod(String name, String descriptor, String shortName, String longName) {}

    /** The class's own {@code native} methods (not inherited ones: JNI binds a method to its declaring class). */
    static List<NativeMethod> of(Class<?> c) {
        String cls = "Java_" + mangle(c.getName().replace('.', '/')) + "_";
        List<NativeMethod> out = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            if (!Modifier.isNative(m.getModifiers())) {
                continue;
            }
            String descriptor = MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
            String shortName = cls + mangle(m.getName());
            String args = descriptor.substring(1, descriptor.indexOf(')'));
            out.add(new NativeMethod(m.getName(), descriptor, shortName, shortName + "__" + mangle(args)));
        }
        out.sort(Comparator.comparing(NativeMethod::name).thenComparing(NativeMethod::descriptor)); // reflection order is not
        return out;
    }

    static String mangle(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
                b.append(c);
            } else if (c == '/') {
                b.append('_');
            } else if (c == '_') {
                b.append("_1");
            } else if (c == ';') {
                b.append("_2");
            } else if (c == '[') {
                b.append("_3");
            } else {
                b.append("_0").append(String.format("%04x", (int) c));
            }
        }
        return b.toString();
    }
}
