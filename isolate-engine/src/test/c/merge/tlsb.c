/* A second member with thread-local storage: merging it with tlsa.c is refused. */
__thread int tlsb_value = 5;

int tlsb_get(void) {
    return tlsb_value;
}
