/* A zlib consumer that knows nothing of isolation: it calls zlibVersion and crc32 by their own names
 * (linked with -lz through the isolate linker script, so the stubs route them to the prefixed copy).
 * Given a path, it also dlopens that zlib RTLD_GLOBAL, as JNA would, and calls it by the same names
 * through dlsym: both copies must answer, each for itself.
 *   usage: zlib_cohab [OTHER_LIBZ]    prints "linked <version> <crc>" [and "other <version> <crc>"] */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

const char *zlibVersion(void);
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);

static const char DATA[] = "isolate: one library, two copies, no clash";

int main(int argc, char **argv) {
    /* Through a function pointer: an indirect branch, which must land on the stub's landing pad
     * (endbr64, bti c) in a process that enforces IBT or BTI. */
    unsigned long (*volatile indirect)(unsigned long, const unsigned char *, unsigned int) = crc32;
    printf("linked %s %lu\n", zlibVersion(), indirect(0, (const unsigned char *) DATA, (unsigned) strlen(DATA)));
    if (argc > 1) {
        void *h = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
        if (!h) { fprintf(stderr, "dlopen %s: %s\n", argv[1], dlerror()); return 1; }
        const char *(*ver)(void) = (const char *(*)(void)) dlsym(RTLD_DEFAULT, "zlibVersion");
        unsigned long (*crc)(unsigned long, const unsigned char *, unsigned) =
            (unsigned long (*)(unsigned long, const unsigned char *, unsigned)) dlsym(RTLD_DEFAULT, "crc32");
        if (!ver || !crc) { fprintf(stderr, "dlsym: %s\n", dlerror()); return 1; }
        printf("other %s %lu\n", ver(), crc(0, (const unsigned char *) DATA, (unsigned) strlen(DATA)));
    }
    return 0;
}
