/*
 * libacme_dep.so.1: stands for an isolated dependency (original name libdep.so.1). Built by BundleFixture:
 *   gcc -shared -fPIC -O2 -Wl,-soname,libacme_dep.so.1 -o libacme_dep.so.1 dep.c
 * The 4 MiB table makes extraction take long enough that concurrent loaders really overlap.
 */
__attribute__((used)) static const unsigned char table[4 << 20] = {1, 2, 3};

int acme_dep_mul(int a, int b) {
    return a * b * table[0];
}
