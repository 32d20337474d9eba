/* A glue library linked against a bundled copy of libzstd (the system's libzstd.so.1, copied): it
 * compresses and decompresses through *its* libzstd. Prototypes declared here so no -dev package is
 * needed. */
#include <stddef.h>
#include <string.h>

size_t ZSTD_compress(void *dst, size_t cap, const void *src, size_t n, int level);
size_t ZSTD_decompress(void *dst, size_t cap, const void *src, size_t n);
unsigned ZSTD_isError(size_t code);
unsigned ZSTD_versionNumber(void);

unsigned zsglue_version(void) { return ZSTD_versionNumber(); }

/* Returns the compressed size of a 64 KiB round trip, or 0 when it failed. */
size_t zsglue_roundtrip(void) {
    static char src[65536], dst[70000], back[65536];
    for (size_t i = 0; i < sizeof src; i++) src[i] = (char) ("isolate"[i % 7] + (i / 4096));
    size_t c = ZSTD_compress(dst, sizeof dst, src, sizeof src, 3);
    if (ZSTD_isError(c)) return 0;
    size_t d = ZSTD_decompress(back, sizeof back, dst, c);
    if (ZSTD_isError(d) || d != sizeof src || memcmp(src, back, d) != 0) return 0;
    return c;
}
