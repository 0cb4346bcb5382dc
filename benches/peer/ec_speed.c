/* Operations per second of the reference peer (OpenSSL 3 + gost-engine) for GOST R 34.10-2012:
 * key generation, signing a digest, verifying it and VKO (8-byte UKM) on CryptoPro-A, tc26-256-A,
 * tc26-512-A and tc26-512-C, each for about a second, through the EVP API. The engine is loaded
 * by OPENSSL_CONF (scripts/peer-ec-speed.sh writes it). Prints `op curve ops_per_s` lines, like
 * examples/ec_speed.rs. Built and run only by scripts/peer-ec-speed.sh, never by the tests. */
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static EVP_PKEY *keygen(int nid, const char *paramset) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(nid, NULL);
    if (ctx && EVP_PKEY_keygen_init(ctx) > 0 &&
        EVP_PKEY_CTX_ctrl_str(ctx, "paramset", paramset) > 0)
        EVP_PKEY_keygen(ctx, &key);
    EVP_PKEY_CTX_free(ctx);
    return key;
}

static int sign(EVP_PKEY *key, const unsigned char *dg, size_t dl, unsigned char *sig, size_t *sl) {
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    int ok = ctx && EVP_PKEY_sign_init(ctx) > 0 && EVP_PKEY_sign(ctx, sig, sl, dg, dl) > 0;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

static int verify(EVP_PKEY *key, const unsigned char *dg, size_t dl, const unsigned char *sig,
                  size_t sl) {
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    int ok = ctx && EVP_PKEY_verify_init(ctx) > 0 && EVP_PKEY_verify(ctx, sig, sl, dg, dl) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

static int vko(EVP_PKEY *key, EVP_PKEY *peer) {
    unsigned char out[64];
    size_t ol = sizeof out;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    int ok = ctx && EVP_PKEY_derive_init(ctx) > 0 &&
             EVP_PKEY_CTX_ctrl_str(ctx, "ukmhex", "0102030405060708") > 0 &&
             EVP_PKEY_derive_set_peer(ctx, peer) > 0 && EVP_PKEY_derive(ctx, out, &ol) > 0;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

int main(void) {
    static const struct { const char *label, *alg, *paramset; size_t size; } sets[] = {
        {"cryptopro-a", "gost2012_256", "A", 32},
        {"tc26-256-a", "gost2012_256", "TCA", 32},
        {"tc26-512-a", "gost2012_512", "A", 64},
        {"tc26-512-c", "gost2012_512", "C", 64},
    };
    OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL);
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        int nid = OBJ_txt2nid(sets[i].alg);
        unsigned char dg[64], sig[128];
        size_t sl = sizeof sig;
        memset(dg, 0x5a, sizeof dg);
        EVP_PKEY *key = keygen(nid, sets[i].paramset), *other = keygen(nid, sets[i].paramset);
        if (!key || !other || !sign(key, dg, sets[i].size, sig, &sl) ||
            !verify(key, dg, sets[i].size, sig, sl)) {
            fprintf(stderr, "%s: the engine could not generate, sign or verify\n", sets[i].label);
            ERR_print_errors_fp(stderr);
            return 1;
        }
        const char *ops[] = {"keygen", "sign", "verify", "vko"};
        for (int op = 0; op < 4; op++) {
            long n = 0;
            int ok = 1;
            double start = now();
            while (ok && now() - start < 1.0) {
                for (int j = 0; j < 8 && ok; j++, n++) {
                    size_t l = sizeof sig;
                    unsigned char s2[128];
                    EVP_PKEY *k;
                    switch (op) {
                    case 0: k = keygen(nid, sets[i].paramset); ok = k != NULL; EVP_PKEY_free(k); break;
                    case 1: ok = sign(key, dg, sets[i].size, s2, &l); break;
                    case 2: ok = verify(key, dg, sets[i].size, sig, sl); break;
                    default: ok = vko(key, other); break;
                    }
                }
            }
            if (!ok) {
                fprintf(stderr, "%s %s: the engine refused\n", ops[op], sets[i].label);
                ERR_print_errors_fp(stderr);
                continue;
            }
            printf("%s %s %.0f\n", ops[op], sets[i].label, n / (now() - start));
        }
        EVP_PKEY_free(key);
        EVP_PKEY_free(other);
    }
    return 0;
}
