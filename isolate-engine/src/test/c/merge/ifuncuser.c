/* The TARGET of the IFUNC fixture: calls the other member's IFUNC, and through a function pointer. */
int ifunc_value(void);
int (*ifunc_pointer)(void) = ifunc_value;

int ifuncuser_run(void) {
    return ifunc_value() + ifunc_pointer(); /* 84 */
}
