/* Times dlsym of every renamed export in an isolated library against the same export under its old name in
 * the input, both loaded in this one process, and prints the ratio (issue 16: <= 1.05).
 * Built and run by bench/dlsym.sh: gcc -O2 -o dlsym bench/dlsym.c -ldl
 * Usage: dlsym INPUT OUTPUT NAMES PREFIX [ROUNDS]
 *   NAMES: the renamed exports' old names, one a line; the output's are PREFIX + name.
 * Rounds alternate between the two libraries (input, output, output, input, ...) so drift in the machine's
 * load falls on both; the figure for each is the median of its rounds, and the ratio the median of the
 * ratios of the pairs of rounds run back to back (steadier on a shared machine than a ratio of medians). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* Looks every name up once; returns ns per lookup, or -1 if one is missing. */
static double round_of(void *lib, char **names, size_t n) {
    double t = now();
    for (size_t i = 0; i < n; i++) {
        if (dlsym(lib, names[i]) == NULL) {
            fprintf(stderr, "dlsym: %s not found\n", names[i]);
            return -1;
        }
    }
    return (now() - t) / n;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: dlsym INPUT OUTPUT NAMES PREFIX [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 5 ? atoi(argv[5]) : 21;
    void *in = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    void *out = in ? dlopen(argv[2], RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!in || !out) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    FILE *f = fopen(argv[3], "r");
    if (!f) {
        perror(argv[3]);
        return 1;
    }
    size_t cap = 1024, n = 0;
    char **old = malloc(cap * sizeof *old), **new = malloc(cap * sizeof *new);
    char *line = NULL;
    size_t len = 0;
    ssize_t r;
    while ((r = getline(&line, &len, f)) > 0) {
        if (line[r - 1] == '\n') line[--r] = 0;
        if (r == 0) continue;
        if (n == cap) {
            cap *= 2;
            old = realloc(old, cap * sizeof *old);
            new = realloc(new, cap * sizeof *new);
        }
        old[n] = strdup(line);
        new[n] = malloc(strlen(argv[4]) + r + 1);
        strcpy(new[n], argv[4]);
        strcat(new[n], line);
        n++;
    }
    fclose(f);
    double *ti = malloc(rounds * sizeof *ti), *to = malloc(rounds * sizeof *to), *tr = malloc(rounds * sizeof *tr);
    round_of(in, old, n); /* untimed: pages and caches warm for both */
    round_of(out, new, n);
    for (int k = 0; k < rounds; k++) {
        if (k % 2 == 0) {
            ti[k] = round_of(in, old, n);
            to[k] = round_of(out, new, n);
        } else {
            to[k] = round_of(out, new, n);
            ti[k] = round_of(in, old, n);
        }
        if (ti[k] < 0 || to[k] < 0) return 1;
        tr[k] = to[k] / ti[k];
    }
    qsort(tr, rounds, sizeof *tr, cmp);
    qsort(ti, rounds, sizeof *ti, cmp);
    qsort(to, rounds, sizeof *to, cmp);
    double mi = ti[rounds / 2], mo = to[rounds / 2], ratio = tr[rounds / 2];
    printf("names        %zu renamed exports, %d rounds each (medians)\n", n, rounds);
    printf("input        %8.1f ns per dlsym  %s\n", mi, argv[1]);
    printf("output       %8.1f ns per dlsym  %s\n", mo, argv[2]);
    printf("ratio        %8.3f   (output / input, median of %d pairs; target <= 1.05)  %s\n", ratio, rounds,
           ratio <= 1.05 ? "met" : "NOT MET");
    return 0;
}
