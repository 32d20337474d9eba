/* dlcheck - load a shared library with the real dynamic loader and check
 * which names it resolves.
 *
 * Usage:
 *   dlcheck LIB              dlopen(LIB, RTLD_NOW|RTLD_LOCAL) only; prints
 *                            "dlcheck: loaded" and exits 0 (3 if it fails).
 *   dlcheck LIB NAMES_FILE   dlopen as above, then check every line of
 *                            NAMES_FILE (fields separated by one space):
 *     R <name>            dlsym(handle,name) is non-NULL and dladdr() of it
 *                         reports an object whose realpath is realpath(LIB)
 *     T <name>            (TLS) dlsym(handle,name) is non-NULL; no dladdr
 *     V <name> <version>  like R, via dlvsym(handle,name,version)
 *     A <name>            name does NOT resolve into LIB: dlsym is NULL, or
 *                         dladdr places the address in another object
 *   Empty lines and lines starting with '#' are ignored.  Lines may be of
 *   any length (read with getline).
 *
 * Prints "FAIL <kind> <name>: <reason>" per failure, then
 * "dlcheck: N ok, M failed".  Exit: 0 all ok, 1 some failed, 2 usage/IO
 * error, 3 dlopen failed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char lib_real[PATH_MAX];

/* LIB's PT_LOAD ranges, as mapped: an address in one of them lies in LIB. Checked first because dladdr
 * walks every hash bucket and symbol of the object for the nearest symbol (libLLVM-15: 78k steps a call). */
static struct {
    const struct link_map *map;
    int n;
    ElfW(Addr) lo[32], hi[32];
} loads;

static int find_loads(struct dl_phdr_info *info, size_t size, void *unused)
{
    (void) size;
    (void) unused;
    if (info->dlpi_addr != loads.map->l_addr || strcmp(info->dlpi_name, loads.map->l_name) != 0)
        return 0;
    for (int i = 0; i < info->dlpi_phnum && loads.n < 32; i++) {
        if (info->dlpi_phdr[i].p_type == PT_LOAD) {
            loads.lo[loads.n] = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
            loads.hi[loads.n] = loads.lo[loads.n] + info->dlpi_phdr[i].p_memsz;
            loads.n++;
        }
    }
    return 1;
}

/* Returns NULL if addr lives in LIB, otherwise a static reason string. */
static const char *in_lib(void *addr, char *buf, size_t bufsz)
{
    Dl_info info;
    char real[PATH_MAX];

    for (int i = 0; i < loads.n; i++) {
        if ((ElfW(Addr)) addr >= loads.lo[i] && (ElfW(Addr)) addr < loads.hi[i])
            return NULL;
    }

    if (!dladdr(addr, &info) || !info.dli_fname) {
        return "dladdr failed";
    }
    if (!realpath(info.dli_fname, real)) {
        snprintf(buf, bufsz, "realpath(%s) failed", info.dli_fname);
        return buf;
    }
    if (strcmp(real, lib_real) != 0) {
        snprintf(buf, bufsz, "resolved in %s", real);
        return buf;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    void *h;
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long ok = 0, failed = 0;
    char reason[PATH_MAX + 64];

    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s LIB [NAMES_FILE]\n", argv[0]);
        return 2;
    }
    h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "dlcheck: dlopen failed: %s\n", dlerror());
        return 3;
    }
    if (argc == 2) {
        printf("dlcheck: loaded\n");
        return 0;
    }
    if (!realpath(argv[1], lib_real)) {
        perror(argv[1]);
        return 2;
    }
    if (dlinfo(h, RTLD_DI_LINKMAP, &loads.map) == 0 && loads.map)
        dl_iterate_phdr(find_loads, NULL);
    f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 2;
    }

    while ((len = getline(&line, &cap, f)) != -1) {
        char kind, *name, *version = NULL, *sp;
        const char *why = NULL;
        void *addr;

        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        kind = line[0];
        if (len < 3 || line[1] != ' ') {
            printf("FAIL ? %s: malformed line\n", line);
            failed++;
            continue;
        }
        name = line + 2;
        if (kind == 'V') {
            sp = strchr(name, ' ');
            if (!sp) {
                printf("FAIL V %s: missing version\n", name);
                failed++;
                continue;
            }
            *sp = '\0';
            version = sp + 1;
        }

        dlerror();
        switch (kind) {
        case 'R':
        case 'T':
            addr = dlsym(h, name);
            break;
        case 'V':
#ifdef __GLIBC__
            addr = dlvsym(h, name, version);
#else
            /* musl has no dlvsym: it binds by name and ignores versions, so V is R there. */
            addr = dlsym(h, name);
#endif
            break;
        case 'A':
            addr = dlsym(h, name);
            if (addr && !in_lib(addr, reason, sizeof reason))
                why = "resolves into LIB";
            break;
        default:
            printf("FAIL %c %s: unknown kind\n", kind, name);
            failed++;
            continue;
        }

        if (kind != 'A') {
            if (!addr) {
                const char *e = dlerror();
                why = e ? e : "dlsym returned NULL";
            } else if (kind != 'T') {
                why = in_lib(addr, reason, sizeof reason);
            }
        }

        if (why) {
            if (version)
                printf("FAIL %c %s %s: %s\n", kind, name, version, why);
            else
                printf("FAIL %c %s: %s\n", kind, name, why);
            failed++;
        } else {
            ok++;
        }
    }
    free(line);
    fclose(f);

    printf("dlcheck: %lu ok, %lu failed\n", ok, failed);
    return failed == 0 ? 0 : 1;
}
