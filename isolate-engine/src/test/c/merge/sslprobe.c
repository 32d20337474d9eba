/* Built against the system's libssl.so.3 and libcrypto.so.3, run against a merged file that keeps every
 * member's exports: a SHA-256 digest (libcrypto), then an in-memory TLS handshake (libssl) between a client
 * and a server whose EC key and self-signed certificate are made here, and one record each way. Prototypes
 * declared here so no -dev package is needed. Prints the digest in hex, "ctx ok" and "handshake <version> ping pong". */
#include <stdio.h>
#include <string.h>

typedef struct evp_md_st EVP_MD;
typedef struct ssl_method_st SSL_METHOD;
typedef struct ssl_ctx_st SSL_CTX;
const EVP_MD *EVP_sha256(void);
int EVP_Digest(const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, void *impl);
const SSL_METHOD *TLS_client_method(void);
SSL_CTX *SSL_CTX_new(const SSL_METHOD *method);
void SSL_CTX_free(SSL_CTX *ctx);
typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;
typedef struct X509_name_st X509_NAME;
typedef struct asn1_string_st ASN1_INTEGER, ASN1_TIME;
typedef struct ssl_st SSL;
typedef struct bio_st BIO;
EVP_PKEY *EVP_PKEY_Q_keygen(void *libctx, const char *propq, const char *type, ...);
X509 *X509_new(void);
int X509_set_version(X509 *x, long version);
ASN1_INTEGER *X509_get_serialNumber(X509 *x);
int ASN1_INTEGER_set(ASN1_INTEGER *a, long v);
ASN1_TIME *X509_gmtime_adj(ASN1_TIME *s, long adj);
ASN1_TIME *X509_getm_notBefore(const X509 *x);
ASN1_TIME *X509_getm_notAfter(const X509 *x);
int X509_set_pubkey(X509 *x, EVP_PKEY *pkey);
X509_NAME *X509_get_subject_name(const X509 *a);
int X509_NAME_add_entry_by_txt(X509_NAME *name, const char *field, int type, const unsigned char *bytes, int len, int loc, int set);
int X509_set_issuer_name(X509 *x, const X509_NAME *name);
int X509_sign(X509 *x, EVP_PKEY *pkey, const EVP_MD *md);
const SSL_METHOD *TLS_server_method(void);
int SSL_CTX_use_certificate(SSL_CTX *ctx, X509 *x);
int SSL_CTX_use_PrivateKey(SSL_CTX *ctx, EVP_PKEY *pkey);
SSL *SSL_new(SSL_CTX *ctx);
int BIO_new_bio_pair(BIO **bio1, size_t writebuf1, BIO **bio2, size_t writebuf2);
void SSL_set_bio(SSL *s, BIO *rbio, BIO *wbio);
void SSL_set_connect_state(SSL *s);
void SSL_set_accept_state(SSL *s);
int SSL_do_handshake(SSL *s);
int SSL_get_error(const SSL *s, int ret);
int SSL_write(SSL *ssl, const void *buf, int num);
int SSL_read(SSL *ssl, void *buf, int num);
const char *SSL_get_version(const SSL *s);
#define MBSTRING_ASC 0x1001
#define SSL_ERROR_WANT_READ 2
#define SSL_ERROR_WANT_WRITE 3

static int pending(SSL *s, int r) {
    int e = SSL_get_error(s, r);
    return r == 1 || e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

/* A client and a server over a BIO pair: 1 when the handshake completes and a record goes each way. */
static int handshake(void) {
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *cert = X509_new();
    if (!key || !cert) return 0;
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *) "isolate", -1, -1, 0);
    X509_set_issuer_name(cert, name);
    if (!X509_sign(cert, key, EVP_sha256())) return 0;
    SSL_CTX *sctx = SSL_CTX_new(TLS_server_method()), *cctx = SSL_CTX_new(TLS_client_method());
    if (!sctx || !cctx || !SSL_CTX_use_certificate(sctx, cert) || !SSL_CTX_use_PrivateKey(sctx, key)) return 0;
    SSL *server = SSL_new(sctx), *client = SSL_new(cctx);
    BIO *a, *b;
    if (!server || !client || !BIO_new_bio_pair(&a, 0, &b, 0)) return 0;
    SSL_set_bio(client, a, a);
    SSL_set_bio(server, b, b);
    SSL_set_connect_state(client);
    SSL_set_accept_state(server);
    int rc = 0, rs = 0;
    for (int i = 0; i < 100 && (rc != 1 || rs != 1); i++) {
        rc = SSL_do_handshake(client);
        if (!pending(client, rc)) return 0;
        rs = SSL_do_handshake(server);
        if (!pending(server, rs)) return 0;
    }
    if (rc != 1 || rs != 1) return 0;
    char buf[16] = {0};
    if (SSL_write(client, "ping", 4) != 4 || SSL_read(server, buf, sizeof buf) != 4 || memcmp(buf, "ping", 4) != 0) return 0;
    if (SSL_write(server, "pong", 4) != 4 || SSL_read(client, buf, sizeof buf) != 4 || memcmp(buf, "pong", 4) != 0) return 0;
    printf("handshake %s ping pong\n", SSL_get_version(client));
    return 1;
}

int main(void) {
    unsigned char md[64];
    unsigned int n = 0;
    if (!EVP_Digest("abc", 3, md, &n, EVP_sha256(), NULL)) { puts("digest FAILED"); return 1; }
    for (unsigned int i = 0; i < n; i++) printf("%02x", md[i]);
    printf("\n");
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    puts(ctx ? "ctx ok" : "ctx FAILED");
    SSL_CTX_free(ctx);
    if (!ctx || !handshake()) { puts("handshake FAILED"); return 1; }
    return 0;
}
