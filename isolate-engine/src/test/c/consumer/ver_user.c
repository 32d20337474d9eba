/* ver_user.c - libver defines foo@VER_1, foo@@VER_2 and bar@@VER_2 (ver.c): a new link binds to the
 * default version, so the one stub for foo must reach foo@@VER_2. Built by ConsumerFixturesTest:
 *   gcc -o ver_user ver_user.c -L OUT -lver -Wl,-rpath,OUT */
#include <stdio.h>

int foo(void);
int bar(void);

int main(void)
{
    printf("foo %d bar %d\n", foo(), bar());
    return foo() == 2 && bar() == 20 ? 0 : 1;
}
