/* kitchen.c - one library exercising many kinds of exported dynamic symbols.
 * Linked in several variants by the Makefile (hash styles, page sizes,
 * --emit-relocs, lld, no SONAME, stripped, and with JNI names). */
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

/* Hidden: must not be exported; called from kz_add so it stays. */
__attribute__((visibility("hidden"), noinline)) int kz_hidden(int a, int b)
{
    return a + b;
}

EXPORT int kz_add(int a, int b) { return kz_hidden(a, b); }

EXPORT const char *kz_version(void) { return "kitchen-1"; }

/* Weak undefined reference (resolved only if some loaded object defines it). */
extern void kz_trace_hook(void) __attribute__((weak));

EXPORT int kz_call_hook(void)
{
    if (kz_trace_hook) {
        kz_trace_hook();
        return 1;
    }
    return 0;
}

/* Data exports: writable .data and read-only .rodata (via data.rel.ro / rodata). */
EXPORT int kz_counter = 42;
EXPORT const int kz_table[4] = {1, 2, 3, 4};

/* TLS export (STT_TLS, PT_TLS). */
EXPORT __thread int kz_tls = 7;
EXPORT int kz_tls_get(void) { return kz_tls; }

/* IFUNC export (STT_GNU_IFUNC). */
static int kz_fast_impl(int x) { return x * 2; }
static int (*kz_fast_resolver(void))(int) { return kz_fast_impl; }
EXPORT int kz_fast(int) __attribute__((ifunc("kz_fast_resolver")));

/* Hidden IFUNC: calls to it need R_*_IRELATIVE (no symbol); calls to the
 * exported kz_fast go through R_*_JUMP_SLOT against the renamed symbol. */
static int kz_slow_impl(int x) { return x + 1; }
static int (*kz_slow_resolver(void))(int) { return kz_slow_impl; }
__attribute__((visibility("hidden"))) int kz_slow(int) __attribute__((ifunc("kz_slow_resolver")));
EXPORT int kz_fast_plus_slow(int x) { return kz_fast(x) + kz_slow(x); }

/* STV_PROTECTED export. */
__attribute__((visibility("protected"))) int kz_protected(void) { return 5; }

/* STB_WEAK definition. */
__attribute__((weak)) EXPORT int kz_weak(void) { return 3; }

/* Weak override of a libc name. */
__attribute__((weak)) EXPORT char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* JNI-style names: only in libkitchen-jni.so (-DKITCHEN_JNI). Exporting one makes a JNI library, which
 * keeps its SONAME and file name; the other variants test the renamed SONAME. */
#ifdef KITCHEN_JNI
EXPORT int Java_com_example_Foo_bar(void) { return 9; }
EXPORT int JNI_OnLoad(void *vm, void *reserved)
{
    (void)vm;
    (void)reserved;
    return 0x10006; /* JNI_VERSION_1_6 */
}
#endif

/* Zero-initialised static: gives .bss at the end of the last RW PT_LOAD. */
static int kz_bss_state;
EXPORT int kz_bss_get(void) { return kz_bss_state; }

#if defined(__aarch64__)
/* The ARM and aarch64 GNU ld scripts PROVIDE __bss_start__, __bss_end__ and
 * _bss_end__; referenced, they become exports (lld leaves them undefined). */
extern char __bss_start__[] __attribute__((weak));
extern char __bss_end__[] __attribute__((weak));
extern char _bss_end__[] __attribute__((weak));
EXPORT char *const kz_bss_markers[3] = {__bss_start__, __bss_end__, _bss_end__};
#endif
