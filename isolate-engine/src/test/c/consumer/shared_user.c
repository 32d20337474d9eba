/* shared_user.c - a shared library linked through the linker script (-L OUT -lzstd): the stubs it
 * pulls in are hidden, so it must not export any original zstd name. Built by ConsumerTest:
 *   gcc -shared -fPIC -o libshared_user.so shared_user.c -L OUT -lzstd */
#include <zstd.h>

unsigned shared_user_version(void)
{
    return ZSTD_versionNumber();
}

size_t shared_user_bound(size_t n)
{
    return ZSTD_compressBound(n);
}
