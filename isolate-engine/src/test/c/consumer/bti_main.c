/* dlopens bti_user.c's library and calls bti_call_crc32(DATA, control).
 *   usage: bti_main LIB CONTROL     prints "crc <value>" */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: bti_main LIB CONTROL\n"); return 2; }
    void *h = dlopen(argv[1], RTLD_NOW);
    if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
    unsigned long (*call)(const char *, int) = (unsigned long (*)(const char *, int)) dlsym(h, "bti_call_crc32");
    if (!call) { fprintf(stderr, "dlsym: %s\n", dlerror()); return 1; }
    printf("crc %lu\n", call("isolate: one library, two copies, no clash", atoi(argv[2])));
    return 0;
}
