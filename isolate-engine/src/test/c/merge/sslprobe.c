/* Built against the system's libssl.so.3 and libcrypto.so.3, run against a merged file that keeps every
 * member's exports: a SHA-256 digest (libcrypto) and a TLS client context (libssl). Prototypes declared here
 * so no -dev package is needed. Prints the digest in hex and "ctx ok". */
#include <stdio.h>

typedef struct evp_md_st EVP_MD;
typedef struct ssl_method_st SSL_METHOD;
typedef struct ssl_ctx_st SSL_CTX;
const EVP_MD *EVP_sha256(void);
int EVP_Digest(const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, void *impl);
const SSL_METHOD *TLS_client_method(void);
SSL_CTX *SSL_CTX_new(const SSL_METHOD *method);
void SSL_CTX_free(SSL_CTX *ctx);

int main(void) {
    unsigned char md[64];
    unsigned int n = 0;
    if (!EVP_Digest("abc", 3, md, &n, EVP_sha256(), NULL)) { puts("digest FAILED"); return 1; }
    for (unsigned int i = 0; i < n; i++) printf("%02x", md[i]);
    printf("\n");
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    puts(ctx ? "ctx ok" : "ctx FAILED");
    SSL_CTX_free(ctx);
    return ctx ? 0 : 1;
}
