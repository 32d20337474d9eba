/* zstd_user.c - a consumer of libzstd, written against the real <zstd.h>.
 * Built by ConsumerTest after isolating /usr/lib/x86_64-linux-gnu/libzstd.so.1 into OUT:
 *   through the stubs:  gcc -o zstd_user zstd_user.c -L OUT -lzstd -Wl,-rpath,OUT
 *   with the header:    gcc -include OUT/acme_isolate_zstd.h -o zstd_user zstd_user.c -L OUT -lzstd -Wl,-rpath,OUT
 *   negative:           gcc -o zstd_user zstd_user.c OUT/libacme_zstd.so.1   (must fail: no original names) */
#include <stdio.h>
#include <string.h>
#include <zstd.h>

int main(void)
{
    char src[4096], packed[8192], back[4096];
    size_t n, m;

    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (char)("isolate"[i % 7] + i / 512);
    n = ZSTD_compress(packed, sizeof packed, src, sizeof src, 3);
    if (ZSTD_isError(n)) {
        printf("FAIL compress: %s\n", ZSTD_getErrorName(n));
        return 1;
    }
    m = ZSTD_decompress(back, sizeof back, packed, n);
    if (ZSTD_isError(m) || m != sizeof src || memcmp(src, back, sizeof src) != 0) {
        printf("FAIL round trip\n");
        return 1;
    }
    printf("zstd %u round trip %zu -> %zu -> %zu ok\n", ZSTD_versionNumber(), sizeof src, n, m);
    return ZSTD_versionNumber() == ZSTD_VERSION_NUMBER ? 0 : 2;
}
