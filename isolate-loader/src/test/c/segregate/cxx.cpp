/*
 * libcxx.so: a C++ JNI library loaded segregated (SegregateJdk25Test): it throws and catches inside itself (RTTI and
 * the unwinder of the namespace's own libstdc++ and libgcc_s), starts its own thread that attaches to the JVM and
 * calls back into Java, and has JNI_OnLoad, overloads (long names) and a name with '_'. Built by SegregateFixtures:
 *   g++ -shared -fPIC -O2 -pthread -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -Wl,-soname,libcxx.so \
 *       -o libcxx.so cxx.cpp
 */
#include <jni.h>
#include <stdexcept>
#include <string>
#include <thread>

static JavaVM *vm;

extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *jvm, void *reserved) {
    (void) reserved;
    vm = jvm;
    return JNI_VERSION_10;
}

static int divide(int a, int b) {
    if (b == 0) {
        throw std::domain_error("division by zero: " + std::to_string(a));
    }
    return a / b;
}

/* a / b, or -1 when b is 0: the exception is thrown and caught here. */
extern "C" JNIEXPORT jint JNICALL Java_dev_isolate_loader_SegregateJdk25Test_00024Cxx_safe_1divide(JNIEnv *, jclass, jint a, jint b) {
    try {
        return divide(a, b);
    } catch (const std::domain_error &e) {
        return std::string(e.what()).rfind("division by zero", 0) == 0 ? -1 : -2;
    }
}

extern "C" JNIEXPORT jint JNICALL Java_dev_isolate_loader_SegregateJdk25Test_00024Cxx_twice__I(JNIEnv *, jclass, jint v) {
    return 2 * v;
}

extern "C" JNIEXPORT jlong JNICALL Java_dev_isolate_loader_SegregateJdk25Test_00024Cxx_twice__J(JNIEnv *, jclass, jlong v) {
    return 3 * v; /* not 2: shows the long-typed overload is bound to its own function */
}

/* Starts a std::thread that attaches to the JVM and calls Cxx.callback(v); returns once it has finished. */
extern "C" JNIEXPORT jint JNICALL Java_dev_isolate_loader_SegregateJdk25Test_00024Cxx_onOwnThread(JNIEnv *env, jclass cls, jint v) {
    jclass global = (jclass) env->NewGlobalRef(cls);
    int result = -1;
    std::thread t([&] {
        JNIEnv *tenv;
        if (vm->AttachCurrentThread((void **) &tenv, nullptr) != JNI_OK) {
            return;
        }
        jmethodID m = tenv->GetStaticMethodID(global, "callback", "(I)I");
        result = m ? tenv->CallStaticIntMethod(global, m, v) : -2;
        if (tenv->ExceptionCheck()) {
            tenv->ExceptionClear();
            result = -3;
        }
        vm->DetachCurrentThread();
    });
    t.join();
    env->DeleteGlobalRef(global);
    return result;
}
