/* JNI glue linked against bundled copies of the system's zlib and libzstd (merge/libz.so.1 and
 * merge/libzstd.so.1, plain copies): the natives of dev.isolate.engine.MergeProbe. Prototypes are declared
 * here so no -dev package is needed. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *zlibVersion(void);
int compress2(unsigned char *dst, unsigned long *dstLen, const unsigned char *src, unsigned long srcLen, int level);
int uncompress(unsigned char *dst, unsigned long *dstLen, const unsigned char *src, unsigned long srcLen);
unsigned long compressBound(unsigned long n);
size_t ZSTD_compress(void *dst, size_t cap, const void *src, size_t n, int level);
size_t ZSTD_decompress(void *dst, size_t cap, const void *src, size_t n);
size_t ZSTD_compressBound(size_t n);
unsigned ZSTD_isError(size_t code);
unsigned ZSTD_versionNumber(void);

/* "zlib <version> zstd <number>" as this glue's libraries say. */
JNIEXPORT jstring JNICALL Java_dev_isolate_engine_MergeProbe_versions(JNIEnv *env, jclass cls) {
    (void) cls;
    char buf[128];
    snprintf(buf, sizeof buf, "zlib %s zstd %u", zlibVersion(), ZSTD_versionNumber());
    return (*env)->NewStringUTF(env, buf);
}

/* The file each library function this glue calls lives in (dladdr of the address the glue sees). */
JNIEXPORT jstring JNICALL Java_dev_isolate_engine_MergeProbe_where(JNIEnv *env, jclass cls) {
    (void) cls;
    Dl_info a, b;
    char buf[4096];
    if (!dladdr((void *) &compress2, &a) || !dladdr((void *) &ZSTD_compress, &b)) return NULL;
    snprintf(buf, sizeof buf, "%s %s", a.dli_fname, b.dli_fname);
    return (*env)->NewStringUTF(env, buf);
}

/* Compresses data with both libraries and back: 1 when both round trips give the bytes back. */
JNIEXPORT jint JNICALL Java_dev_isolate_engine_MergeProbe_roundTrip(JNIEnv *env, jclass cls, jbyteArray data) {
    (void) cls;
    jsize n = (*env)->GetArrayLength(env, data);
    jbyte *src = (*env)->GetByteArrayElements(env, data, NULL);
    unsigned long zcap = compressBound((unsigned long) n), zlen = zcap, back = (unsigned long) n;
    size_t scap = ZSTD_compressBound((size_t) n);
    unsigned char *z = malloc(zcap), *s = malloc(scap), *out = malloc((size_t) n + 1);
    int ok = compress2(z, &zlen, (const unsigned char *) src, (unsigned long) n, 6) == 0
            && uncompress(out, &back, z, zlen) == 0 && back == (unsigned long) n && memcmp(out, src, (size_t) n) == 0;
    size_t c = ZSTD_compress(s, scap, src, (size_t) n, 3);
    size_t d = ZSTD_isError(c) ? 0 : ZSTD_decompress(out, (size_t) n, s, c);
    ok = ok && !ZSTD_isError(c) && !ZSTD_isError(d) && d == (size_t) n && memcmp(out, src, (size_t) n) == 0;
    free(z);
    free(s);
    free(out);
    (*env)->ReleaseByteArrayElements(env, data, src, JNI_ABORT);
    return ok;
}
