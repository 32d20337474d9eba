/* cet_user.c - an object that carries the x86 IBT and SHSTK properties, linked with the stubs under
 * -z cet-report=error (ld -shared, so Debian's unmarked crt1.o/crti.o stay out of it). Built by
 * ConsumerTest:
 *   gcc -c -fPIC -fcf-protection=full -o cet_user.o cet_user.c
 *   ld -shared -z cet-report=error -o libcet_user.so cet_user.o -L OUT -lzstd */
unsigned ZSTD_versionNumber(void);

unsigned cet_user_version(void)
{
    return ZSTD_versionNumber();
}
