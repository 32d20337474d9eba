/* cohab_system.c - the half of cohab_main that uses the system zstd and zlib by their original
 * names (linked with the system libzstd.so.1 and libz.so.1): see cohab_main.c. */
#include "round_trips.h"

int system_round_trips(unsigned *zstd_version, const char **zlib_ver)
{
    int r = round_trips("system", 1, 9);
    *zstd_version = ZSTD_versionNumber();
    *zlib_ver = zlibVersion();
    return r;
}
