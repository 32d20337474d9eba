/*
 * An executable whose PT_INTERP names musl's dynamic linker, to test libc detection on a glibc host. Built by
 * PlatformTest (it is only read, never run):
 *   gcc -O2 -Wl,--dynamic-linker=/lib/ld-musl-x86_64.so.1 -o musl-interp interp.c
 * and, without the option, with -static for an executable without PT_INTERP.
 */
int main(void) {
    return 0;
}
