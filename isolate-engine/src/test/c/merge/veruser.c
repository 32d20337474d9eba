/* The TARGET of the versioned fixture: calls foo of ../ver.c, which binds to its default foo@@VER_2. */
int foo(void);
int bar(void);

int veruser_run(void) {
    return foo() * 100 + bar(); /* 220 */
}
