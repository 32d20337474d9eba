/* A library built for musl libc (musl-gcc), as Alpine's and sqlite-jdbc's Linux-Musl libraries are: it needs
 * musl's libc.so, calls one of its own exports through the PLT, reads an exported object through the GOT and
 * keeps a thread-local counter, so the relocations the renaming must follow are all there. MuslTest. */
#include <stdlib.h>
#include <string.h>

int mfix_calls = 0;
__thread int mfix_tls_calls;

int mfix_add(int a, int b) {
    mfix_calls++;
    mfix_tls_calls++;
    return a + b;
}

/* The sum of the digits of s, through mfix_add (a PLT call to an export: interposable, so renamed with it). */
int mfix_digits(const char *s) {
    char *copy = strdup(s);
    int sum = 0;
    for (char *p = copy; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            sum = mfix_add(sum, *p - '0');
        }
    }
    free(copy);
    return sum;
}

int mfix_count(void) {
    return mfix_calls * 1000 + mfix_tls_calls;
}
