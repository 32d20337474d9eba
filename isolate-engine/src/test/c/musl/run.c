/* dlopen LIB under musl, call its Java_dev_isolate_Musl_run, print the result and whether LIB also exports
 * mfix_digits. MuslTest. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    int (*run)(void *, void *) = (int (*)(void *, void *)) dlsym(h, "Java_dev_isolate_Musl_run");
    if (!run) {
        printf("dlsym: %s\n", dlerror());
        return 2;
    }
    printf("run %d, mfix_digits %s\n", run(0, 0), dlsym(h, "mfix_digits") ? "exported" : "not exported");
    return 0;
}
