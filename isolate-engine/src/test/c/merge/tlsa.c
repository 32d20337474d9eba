/* The member with thread-local storage: an initialised (.tdata) and a zeroed (.tbss) variable in the
 * general-dynamic model (exported, used from tlsuser.c), and one in the initial-exec model (TPOFF64). */
__thread int tls_counter = 40;
__thread long tls_zero;
static __thread int tls_ie __attribute__((tls_model("initial-exec"))) = 7;

int tls_bump(void) {
    tls_zero++;
    tls_ie++;
    return ++tls_counter;
}

int tls_ie_value(void) {
    return tls_ie;
}
