/* A member exporting an IFUNC: the merged file binds references to it with R_X86_64_IRELATIVE. */
static int ifunc_impl(void) { return 42; }
static int (*resolve_ifunc_value(void))(void) { return ifunc_impl; }
int ifunc_value(void) __attribute__((ifunc("resolve_ifunc_value")));
