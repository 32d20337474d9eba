/* ver.c - symbol versioning: foo@VER_1, foo@@VER_2 (default), bar@@VER_2.
 * Linked with ver.map. */
#define EXPORT __attribute__((visibility("default")))

__attribute__((symver("foo@VER_1"))) EXPORT int foo_v1(void) { return 1; }
__attribute__((symver("foo@@VER_2"))) EXPORT int foo_v2(void) { return 2; }
EXPORT int bar(void) { return 20; }
