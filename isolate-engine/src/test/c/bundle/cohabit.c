/* Loads the system's libzstd.so.1 RTLD_GLOBAL (as JNA does), then a glue library by path, and has both
 * compress and decompress: the process's own calls go to the system copy, the glue's to its bundled
 * copy. Run with LD_DEBUG=bindings to see who bound where.
 *   usage: cohabit GLUE.so PREFIX   (PREFIX of the glue's own exports: "" or e.g. acme_)
 *   prints "system <version> <size> ok" and "glue <version> <size> ok" */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef size_t (*compress_fn)(void *, size_t, const void *, size_t, int);
typedef size_t (*decompress_fn)(void *, size_t, const void *, size_t);
typedef unsigned (*iserror_fn)(size_t);
typedef unsigned (*version_fn)(void);
typedef size_t (*roundtrip_fn)(void);

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: cohabit GLUE.so PREFIX\n"); return 2; }
    void *sys = dlopen("libzstd.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (!sys) { fprintf(stderr, "dlopen libzstd.so.1: %s\n", dlerror()); return 1; }
    compress_fn comp = (compress_fn) dlsym(RTLD_DEFAULT, "ZSTD_compress");
    decompress_fn decomp = (decompress_fn) dlsym(RTLD_DEFAULT, "ZSTD_decompress");
    iserror_fn iserr = (iserror_fn) dlsym(RTLD_DEFAULT, "ZSTD_isError");
    version_fn ver = (version_fn) dlsym(RTLD_DEFAULT, "ZSTD_versionNumber");
    if (!comp || !decomp || !iserr || !ver) { fprintf(stderr, "dlsym: %s\n", dlerror()); return 1; }
    static char src[65536], dst[70000], back[65536];
    for (size_t i = 0; i < sizeof src; i++) src[i] = (char) ("system"[i % 6] + (i / 8192));
    size_t c = comp(dst, sizeof dst, src, sizeof src, 5);
    size_t d = iserr(c) ? 0 : decomp(back, sizeof back, dst, c);
    int ok = !iserr(c) && d == sizeof src && memcmp(src, back, d) == 0;
    printf("system %u %zu %s\n", ver(), c, ok ? "ok" : "FAILED");

    void *glue = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!glue) { fprintf(stderr, "dlopen %s: %s\n", argv[1], dlerror()); return 1; }
    char name[256];
    snprintf(name, sizeof name, "%szsglue_version", argv[2]);
    version_fn gver = (version_fn) dlsym(glue, name);
    snprintf(name, sizeof name, "%szsglue_roundtrip", argv[2]);
    roundtrip_fn grt = (roundtrip_fn) dlsym(glue, name);
    if (!gver || !grt) { fprintf(stderr, "dlsym glue: %s\n", dlerror()); return 1; }
    size_t g = grt();
    printf("glue %u %zu %s\n", gver(), g, g ? "ok" : "FAILED");
    return ok && g ? 0 : 1;
}
