/* mergerun LIB FUNC: dlopen LIB (RTLD_NOW), call int FUNC(void), print "FUNC = <value>", exit 0. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: mergerun LIB FUNC\n"); return 2; }
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
    int (*f)(void) = (int (*)(void)) dlsym(h, argv[2]);
    if (!f) { fprintf(stderr, "dlsym: %s\n", dlerror()); return 1; }
    printf("%s = %d\n", argv[2], f());
    fflush(stdout);
    return 0;
}
