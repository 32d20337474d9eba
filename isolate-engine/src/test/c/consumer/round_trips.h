/* round_trips.h - one zstd and one zlib round trip over a patterned buffer, 0 when both give the
 * input back. Included by cohab_main.c (compiled against the stubs: the isolated copies) and by
 * cohab_system.c (linked against the system libraries): the same code, reaching two copies. */
#include <string.h>
#include <zlib.h>
#include <zstd.h>

static int round_trips(const char *pattern, int zstd_level, int zlib_level)
{
    char src[4096], packed[8192], back[4096];
    size_t n, m, plen = strlen(pattern);
    uLongf zn = sizeof packed, zm = sizeof back;

    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (char)(pattern[i % plen] + i / 256);
    n = ZSTD_compress(packed, sizeof packed, src, sizeof src, zstd_level);
    m = ZSTD_isError(n) ? 0 : ZSTD_decompress(back, sizeof back, packed, n);
    if (ZSTD_isError(m) || m != sizeof src || memcmp(src, back, sizeof src) != 0)
        return 1;
    if (compress2((Bytef *)packed, &zn, (const Bytef *)src, sizeof src, zlib_level) != Z_OK)
        return 2;
    memset(back, 0, sizeof back);
    if (uncompress((Bytef *)back, &zm, (const Bytef *)packed, zn) != Z_OK || zm != sizeof src
        || memcmp(src, back, sizeof src) != 0)
        return 3;
    return 0;
}
