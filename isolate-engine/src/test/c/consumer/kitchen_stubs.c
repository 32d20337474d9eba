/* kitchen_stubs.c - calls the functions of libkitchen (kitchen.c) through the stubs: a plain
 * function, an IFUNC, a protected and a weak one. Built by ConsumerFixturesTest:
 *   gcc -o kitchen_stubs kitchen_stubs.c -L OUT -lkitchen -Wl,-rpath,OUT */
#include <stdio.h>

int kz_add(int, int);
int kz_fast(int);
int kz_protected(void);
int kz_weak(void);
int kz_tls_get(void);

int main(void)
{
    int (*add)(int, int) = kz_add; /* through a pointer: lands on the stub's endbr64 */
    printf("kz_add %d kz_fast %d kz_protected %d kz_weak %d kz_tls_get %d\n", add(2, 3), kz_fast(21), kz_protected(),
           kz_weak(), kz_tls_get());
    return add(2, 3) == 5 && kz_fast(21) == 42 && kz_protected() == 5 && kz_weak() == 3 && kz_tls_get() == 7 ? 0 : 1;
}
