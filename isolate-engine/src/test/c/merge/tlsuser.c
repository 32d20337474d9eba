/* The TARGET of the TLS fixture: reads tlsa.c's variables directly (general dynamic, across members) and
 * through its function; a second thread sees its own copy. Returns 1 when every value is as expected. */
#include <pthread.h>

extern __thread int tls_counter;
extern __thread long tls_zero;
int tls_bump(void);
int tls_ie_value(void);

static void *other(void *arg) {
    (void) arg;
    return (void *) (long) (tls_counter == 40 && tls_bump() == 41 && tls_zero == 1);
}

int tlsuser_run(void) {
    int ok = tls_counter == 40 && tls_zero == 0 && tls_ie_value() == 7;
    ok = ok && tls_bump() == 41 && tls_bump() == 42 && tls_counter == 42 && tls_zero == 2 && tls_ie_value() == 9;
    pthread_t t;
    void *r = 0;
    ok = ok && pthread_create(&t, 0, other, 0) == 0 && pthread_join(t, &r) == 0 && r == (void *) 1;
    return ok && tls_counter == 42;
}
