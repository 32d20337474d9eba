/* cohab_main.c - one process, two copies of zstd and zlib: the executable calls the isolated copies
 * through the stubs (-L OUT -lzstd -lz), and libcohab_system.so calls the system copies by their
 * original names. Built by ConsumerTest:
 *   gcc -shared -fPIC -o libcohab_system.so cohab_system.c /usr/lib/x86_64-linux-gnu/libzstd.so.1 /usr/lib/x86_64-linux-gnu/libz.so.1
 *   gcc -o cohab cohab_main.c -L OUT_ZSTD -L OUT_ZLIB -lzstd -lz libcohab_system.so -Wl,-rpath,...
 * and run with LD_PRELOAD of the system libzstd.so.1 and libz.so.1, LD_BIND_NOW=1, LD_DEBUG=bindings. */
#include <stdio.h>
#include "round_trips.h"

int system_round_trips(unsigned *zstd_version, const char **zlib_ver);

int main(void)
{
    unsigned sys_zstd = 0;
    const char *sys_zlib = "";
    int iso = round_trips("cohabit", 5, 6);
    int sys = system_round_trips(&sys_zstd, &sys_zlib);

    printf("isolated: zstd %u zlib %s round trips %s\n", ZSTD_versionNumber(), zlibVersion(), iso ? "FAILED" : "ok");
    printf("system: zstd %u zlib %s round trips %s\n", sys_zstd, sys_zlib, sys ? "FAILED" : "ok");
    return iso || sys || sys_zstd != ZSTD_versionNumber() || strcmp(sys_zlib, zlibVersion()) != 0;
}
