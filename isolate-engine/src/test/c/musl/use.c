/* A consumer built against the isolated library's artifacts (-L out -lmfix) with musl-gcc, unchanged: it
 * calls the original names, which the stubs send to the prefixed ones. MuslTest. */
#include <stdio.h>

int mfix_digits(const char *s);
int mfix_count(void);

int main(void) {
    int sum = mfix_digits("a1b2c3d4");
    printf("sum %d count %d\n", sum, mfix_count());
    return sum == 10 && mfix_count() == 4004 ? 0 : 1;
}
