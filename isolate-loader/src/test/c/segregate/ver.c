/*
 * libver.so.1 in two versions with one SONAME (SegregateJdk25Test: two bundles side by side). Built by
 * SegregateFixtures, once with -DVERSION=1 and once with -DVERSION=2:
 *   gcc -shared -fPIC -O2 -DVERSION=1 -Wl,-soname,libver.so.1 -o libver.so.1 ver.c
 */
int ver_version(void) {
    return VERSION;
}
