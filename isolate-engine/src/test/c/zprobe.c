/* zprobe.c - JNI natives for dev.isolate.engine.ZlibProbe.
 *
 * Loads a zlib-like library by path with dlopen(RTLD_NOW|RTLD_LOCAL) and
 * calls a function by (possibly renamed) symbol name.  Not linked against
 * libz.  Handles are intentionally never dlclose()d, so that successive
 * calls on different copies (original and renamed) coexist in the process.
 *
 *   static native String version(String libPath, String symbol);
 *       symbol has zlibVersion's type: const char *(void)
 *   static native long crc32(String libPath, String symbol, byte[] data);
 *       symbol has crc32's type; returns crc32(0, data, data.length)
 *
 * Failures of dlopen/dlsym throw IllegalStateException(dlerror()).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stdio.h>
#include <string.h>

typedef const char *(*version_fn)(void);
typedef unsigned long (*crc32_fn)(unsigned long, const unsigned char *,
                                  unsigned int);

static void throw_ise(JNIEnv *env, const char *what, const char *detail)
{
    char msg[1024];
    jclass cls;

    snprintf(msg, sizeof msg, "%s: %s", what, detail ? detail : "unknown error");
    cls = (*env)->FindClass(env, "java/lang/IllegalStateException");
    if (cls)
        (*env)->ThrowNew(env, cls, msg);
}

static void throw_npe(JNIEnv *env, const char *what)
{
    jclass cls = (*env)->FindClass(env, "java/lang/NullPointerException");
    if (cls)
        (*env)->ThrowNew(env, cls, what);
}

/* Returns the symbol's address, or NULL with a pending Java exception. */
static void *lookup(JNIEnv *env, jstring jlib, jstring jsym)
{
    const char *lib, *sym;
    void *h, *addr = NULL;

    if (!jlib || !jsym) {
        throw_npe(env, !jlib ? "libPath" : "symbol");
        return NULL;
    }
    lib = (*env)->GetStringUTFChars(env, jlib, NULL);
    if (!lib)
        return NULL;
    sym = (*env)->GetStringUTFChars(env, jsym, NULL);
    if (!sym) {
        (*env)->ReleaseStringUTFChars(env, jlib, lib);
        return NULL;
    }

    h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        throw_ise(env, "dlopen failed", dlerror());
    } else {
        dlerror();
        addr = dlsym(h, sym);
        if (!addr)
            throw_ise(env, "dlsym failed", dlerror());
    }

    (*env)->ReleaseStringUTFChars(env, jsym, sym);
    (*env)->ReleaseStringUTFChars(env, jlib, lib);
    return addr;
}

JNIEXPORT jstring JNICALL
Java_dev_isolate_engine_ZlibProbe_version(JNIEnv *env, jclass cls,
                                          jstring libPath, jstring symbol)
{
    version_fn fn;
    const char *v;

    (void)cls;
    fn = (version_fn)lookup(env, libPath, symbol);
    if (!fn)
        return NULL;
    v = fn();
    if (!v) {
        throw_ise(env, "version function returned NULL", "");
        return NULL;
    }
    return (*env)->NewStringUTF(env, v);
}

JNIEXPORT jlong JNICALL
Java_dev_isolate_engine_ZlibProbe_crc32(JNIEnv *env, jclass cls,
                                        jstring libPath, jstring symbol,
                                        jbyteArray data)
{
    crc32_fn fn;
    jbyte *bytes;
    jsize len;
    unsigned long crc;

    (void)cls;
    if (!data) {
        throw_npe(env, "data");
        return 0;
    }
    fn = (crc32_fn)lookup(env, libPath, symbol);
    if (!fn)
        return 0;
    len = (*env)->GetArrayLength(env, data);
    bytes = (*env)->GetByteArrayElements(env, data, NULL);
    if (!bytes)
        return 0;
    crc = fn(0UL, (const unsigned char *)bytes, (unsigned int)len);
    (*env)->ReleaseByteArrayElements(env, data, bytes, JNI_ABORT);
    return (jlong)crc;
}
