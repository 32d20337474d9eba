/* kitchen_header.c - data, TLS and functions of libkitchen through the redirect header (no stub can
 * stand in for data). Built by ConsumerFixturesTest:
 *   gcc -include OUT/acme_isolate_kitchen.h -o kitchen_header kitchen_header.c -L OUT -lkitchen -Wl,-rpath,OUT
 * Without the header it must fail to link: kz_counter has no stub. */
#include <stdio.h>

extern int kz_counter;
extern const int kz_table[4];
extern __thread int kz_tls;
int kz_add(int, int);

int main(void)
{
    kz_counter += 1;
    kz_tls += 1;
    printf("kz_counter %d kz_table[3] %d kz_tls %d kz_add %d\n", kz_counter, kz_table[3], kz_tls, kz_add(kz_table[0], 1));
    return kz_counter == 43 && kz_table[3] == 4 && kz_tls == 8 && kz_add(1, 1) == 2 ? 0 : 1;
}
