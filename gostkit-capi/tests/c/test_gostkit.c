/* C ABI test for gostkit: official vectors through include/gostkit.h and the static library,
 * plus the error-path conventions (NULL, short buffer, bad algorithm, free(NULL)), for the hashes,
 * HMAC, KDFs, PBKDF2, the block-cipher modes and MACs, CTR-ACPKM streaming, GOST 28147-89, the key
 * wraps, MGM, KExp15/KImp15, GOST R 34.10-2012 keys, signatures and VKO, X.509, CMS, PFX, and
 * CryptoPro CSP containers (run.sh passes the test-vectors/cryptopro directory and a scratch directory).
 * Hex strings are byte strings in the order the implementation outputs them; RFC 6986 and
 * RFC 5831 print big-endian numbers, reversed here (see test-vectors/README.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gostkit.h"

static int passed = 0, failed = 0;

static void check(int ok, const char *what) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL: %s (last error: %s)\n", what, gostkit_last_error());
    }
}

static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
    size_t n = strlen(hex) / 2;
    if (n > cap) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return 0;
        out[i] = (uint8_t)v;
    }
    return n;
}

struct vector {
    const char *source;
    gostkit_hash_alg alg;
    const char *msg;
    const char *digest_hex;
};

/* RFC 6986 §10.1 (example 1): M1 printed as the number 0x3231...3130, i.e. the ASCII string
 * "012345678901234567890123456789012345678901234567890123456789012" (63 bytes); the digests
 * printed there are 486f64c1...1ad0541b (512) and 00557be5...ef1e159d (256), reversed here.
 * RFC 5831 §7.3.2 (CryptoPro parameters): the 32- and 50-byte messages; H printed big-endian
 * there, reversed here. */
static const struct vector vectors[] = {
    {"RFC 6986 §10.1.1 M1, 512", GOSTKIT_HASH_ALG_STREEBOG512,
     "012345678901234567890123456789012345678901234567890123456789012",
     "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa"
     "00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48"},
    {"RFC 6986 §10.1.2 M1, 256", GOSTKIT_HASH_ALG_STREEBOG256,
     "012345678901234567890123456789012345678901234567890123456789012",
     "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"},
    {"RFC 5831 §7.3.2 32-byte message", GOSTKIT_HASH_ALG_GOST94,
     "This is message, length=32 bytes",
     "2cefc2f7b7bdc514e18ea57fa74ff357e7fa17d652c75f69cb1be7893ede48eb"},
    {"RFC 5831 §7.3.2 50-byte message", GOSTKIT_HASH_ALG_GOST94,
     "Suppose the original message has length = 50 bytes",
     "c3730c5cbccacf915ac292676f21e8bd4ef75331d9405e5f1a61dc3130a65011"},
};

static void test_vectors(void) {
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vector *v = &vectors[i];
        uint8_t expected[64], out[64], streamed[64];
        size_t n = unhex(v->digest_hex, expected, sizeof expected);
        const uint8_t *msg = (const uint8_t *)v->msg;
        size_t msg_len = strlen(v->msg);

        size_t out_len = sizeof out;
        gostkit_status st = gostkit_hash(v->alg, msg, msg_len, out, &out_len);
        check(st == GOSTKIT_STATUS_OK && out_len == n && memcmp(out, expected, n) == 0, v->source);
        check(gostkit_hash_output_len(v->alg) == n, "gostkit_hash_output_len");

        /* Streaming, byte by byte then in one piece after reuse, equals one-shot. */
        gostkit_hash_ctx *ctx = NULL;
        check(gostkit_hash_new(v->alg, &ctx) == GOSTKIT_STATUS_OK && ctx != NULL, "hash_new");
        for (size_t j = 0; j < msg_len; j++)
            check(gostkit_hash_update(ctx, msg + j, 1) == GOSTKIT_STATUS_OK, "hash_update");
        check(gostkit_hash_update(ctx, NULL, 0) == GOSTKIT_STATUS_OK, "update(NULL, 0) is allowed");
        size_t s_len = sizeof streamed;
        st = gostkit_hash_finish(ctx, streamed, &s_len);
        check(st == GOSTKIT_STATUS_OK && s_len == n && memcmp(streamed, expected, n) == 0,
              "streaming == one-shot");
        /* finish resets: the context hashes a new message. */
        check(gostkit_hash_update(ctx, msg, msg_len) == GOSTKIT_STATUS_OK, "update after finish");
        s_len = sizeof streamed;
        st = gostkit_hash_finish(ctx, streamed, &s_len);
        check(st == GOSTKIT_STATUS_OK && memcmp(streamed, expected, n) == 0, "reuse after finish");
        gostkit_hash_free(ctx);
    }
}

static void test_errors(void) {
    uint8_t out[64];
    size_t out_len = sizeof out;
    const uint8_t abc[] = {'a', 'b', 'c'};

    check(gostkit_hash(GOSTKIT_HASH_ALG_STREEBOG256, NULL, 3, out, &out_len) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "NULL data with len > 0");
    check(strlen(gostkit_last_error()) > 0, "last error set after failure");
    check(gostkit_hash(GOSTKIT_HASH_ALG_STREEBOG256, abc, 3, out, NULL) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "NULL out_len");
    out_len = sizeof out;
    check(gostkit_hash(GOSTKIT_HASH_ALG_STREEBOG256, NULL, 0, out, &out_len) == GOSTKIT_STATUS_OK &&
              out_len == 32, "empty input with NULL data");
    check(strlen(gostkit_last_error()) == 0, "last error cleared after success");

    out_len = 10;
    check(gostkit_hash(GOSTKIT_HASH_ALG_STREEBOG512, abc, 3, out, &out_len) ==
              GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 64, "short buffer gives required size");
    out_len = 0;
    check(gostkit_hash(GOSTKIT_HASH_ALG_GOST94, abc, 3, NULL, &out_len) ==
              GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 32, "NULL out is a size query");

    out_len = sizeof out;
    gostkit_status st = gostkit_hash(99, abc, 3, out, &out_len);
    check(st == GOSTKIT_STATUS_INVALID_ARGUMENT, "unknown alg");
    check(gostkit_status_is_argument_error(st), "INVALID_ARGUMENT is an argument error");
    check(gostkit_hash(0, abc, 3, out, &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT, "alg 0");
    check(gostkit_hash_output_len(99) == 0, "output_len of unknown alg");

    gostkit_hash_ctx *ctx = NULL;
    check(gostkit_hash_new(99, &ctx) == GOSTKIT_STATUS_INVALID_ARGUMENT && ctx == NULL,
          "hash_new unknown alg leaves *ctx");
    check(gostkit_hash_new(GOSTKIT_HASH_ALG_STREEBOG256, NULL) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "hash_new NULL out");
    check(gostkit_hash_update(NULL, abc, 3) == GOSTKIT_STATUS_NULL_ARGUMENT, "update NULL ctx");
    out_len = sizeof out;
    check(gostkit_hash_finish(NULL, out, &out_len) == GOSTKIT_STATUS_NULL_ARGUMENT, "finish NULL ctx");

    /* A short finish buffer does not consume the state. */
    check(gostkit_hash_new(GOSTKIT_HASH_ALG_STREEBOG512, &ctx) == GOSTKIT_STATUS_OK, "hash_new");
    check(gostkit_hash_update(ctx, abc, 3) == GOSTKIT_STATUS_OK, "update abc");
    out_len = 63;
    check(gostkit_hash_finish(ctx, out, &out_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 64,
          "finish short buffer");
    uint8_t one_shot[64];
    size_t os_len = sizeof one_shot;
    check(gostkit_hash(GOSTKIT_HASH_ALG_STREEBOG512, abc, 3, one_shot, &os_len) == GOSTKIT_STATUS_OK,
          "one-shot abc");
    out_len = sizeof out;
    check(gostkit_hash_finish(ctx, out, &out_len) == GOSTKIT_STATUS_OK && out_len == 64 &&
              memcmp(out, one_shot, 64) == 0, "finish retried after short buffer");
    gostkit_hash_free(ctx);
    gostkit_hash_free(NULL);
    check(1, "free(NULL) is a no-op");
}

static void test_misc(void) {
    const char *v = gostkit_version();
    check(v != NULL && strlen(v) > 0, "version");
    check(strcmp(gostkit_status_message(GOSTKIT_STATUS_OK), "success") == 0, "status_message OK");
    check(strlen(gostkit_status_message(GOSTKIT_STATUS_BUFFER_TOO_SMALL)) > 0, "status_message");
    check(strcmp(gostkit_status_message(12345), "unknown status code") == 0, "unknown status");
    check(gostkit_status_is_check_failure(GOSTKIT_STATUS_AUTH_FAILED), "AUTH_FAILED is a check failure");
    check(!gostkit_status_is_check_failure(GOSTKIT_STATUS_OK), "OK is not a failure");
}

/* ---------------------------------------------------------------------------------------------
 * MAC, KDF, cipher, AEAD and key-wrap vectors. The hex below is copied from the test-vectors/ TOML files
 * (whitespace removed), which are byte strings in the implementation's order; each entry keeps
 * the TOML's `source` (the document and section). */

#define BUF 2048

struct hmac_vec { const char *source; uint32_t alg; const char *key, *data, *tag; };
struct mode_vec {
    const char *source;
    uint32_t cipher, mode;
    size_t section;
    const char *key, *iv, *pt, *ct;
};
struct omac_vec {
    const char *source;
    uint32_t cipher;
    size_t section, master_section;
    const char *key, *data, *tag;
};
struct g89_vec { /* mode 0 = MAC (imitovstavka) */
    const char *source;
    uint32_t sbox, mode, meshing;
    const char *key, *iv, *in, *out;
};
struct wrap_vec { const char *source; int cryptopro; uint32_t sbox; const char *kek, *ukm, *cek, *wrapped; };
struct mgm_vec { const char *source; uint32_t cipher; const char *key, *nonce, *aad, *pt, *ct, *tag; };
struct kexp_vec { const char *source; uint32_t cipher; const char *key, *k_mac, *k_enc, *iv, *exported; };

/* test-vectors/hmac.toml */
static const struct hmac_vec hmac_vectors[] = {
    {"RFC 7836 Appendix B, example 1 (R 50.1.113-2016 Appendix A)", GOSTKIT_HASH_ALG_STREEBOG256,
     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
     "0126bdb87800af214341456563780100",
     "a1aa5f7de402d7b3d323f2991c8d4534013137010a83754fd0af6d7cd4922ed9"},
    {"RFC 7836 Appendix B, example 2 (R 50.1.113-2016 Appendix A)", GOSTKIT_HASH_ALG_STREEBOG512,
     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
     "0126bdb87800af214341456563780100",
     "a59bab22ecae19c65fbde6e5f4e9f5d8549d31f037f9df9b905500e171923a77"
     "3d5f1530f2ed7e964cb2eedc29e9ad2f3afe93b2814f79f5000ffc0366c251e6"},
};

/* test-vectors/gost3413.toml (modes) and acpkm.toml (kind = "ctr") */
static const struct mode_vec mode_vectors[] = {
    {"GOST R 34.13-2015 Appendix A.1.1 (ECB, Kuznyechik)", GOSTKIT_CIPHER_KUZNYECHIK, GOSTKIT_CIPHER_MODE_ECB, 0,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011",
     "7f679d90bebc24305a468d42b9d4edcdb429912c6e0032f9285452d76718d08b"
     "f0ca33549d247ceef3f5a5313bd4b157d0b09ccde830b9eb3a02c4c5aa8ada98"},
    {"GOST R 34.13-2015 Appendix A.1.2 (CTR, Kuznyechik)", GOSTKIT_CIPHER_KUZNYECHIK, GOSTKIT_CIPHER_MODE_CTR, 0,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1234567890abcef0",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011",
     "f195d8bec10ed1dbd57b5fa240bda1b885eee733f6a13e5df33ce4b33c45dee4"
     "a5eae88be6356ed3d5e877f13564a3a5cb91fab1f20cbab6d1c6d15820bdba73"},
    {"GOST R 34.13-2015 Appendix A.1.3 (OFB, Kuznyechik, z = 2)", GOSTKIT_CIPHER_KUZNYECHIK, GOSTKIT_CIPHER_MODE_OFB, 0,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1234567890abcef0a1b2c3d4e5f0011223344556677889901213141516171819",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011",
     "81800a59b1842b24ff1f795e897abd95ed5b47a7048cfab48fb521369d9326bf"
     "66a257ac3ca0b8b1c80fe7fc10288a13203ebbc066138660a0292243f6903150"},
    {"GOST R 34.13-2015 Appendix A.1.4 (CBC, Kuznyechik, z = 2)", GOSTKIT_CIPHER_KUZNYECHIK, GOSTKIT_CIPHER_MODE_CBC, 0,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1234567890abcef0a1b2c3d4e5f0011223344556677889901213141516171819",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011",
     "689972d4a085fa4d90e52e3d6d7dcc272826e661b478eca6af1e8e448d5ea5ac"
     "fe7babf1e91999e85640e8b0f49d90d0167688065a895c631a2d9a1560b63970"},
    {"GOST R 34.13-2015 Appendix A.1.5 (CFB, Kuznyechik, s = n, z = 2)", GOSTKIT_CIPHER_KUZNYECHIK, GOSTKIT_CIPHER_MODE_CFB, 0,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1234567890abcef0a1b2c3d4e5f0011223344556677889901213141516171819",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011",
     "81800a59b1842b24ff1f795e897abd95ed5b47a7048cfab48fb521369d9326bf"
     "79f2a8eb5cc68d38842d264e97a238b54ffebecd4e922de6c75bd9dd44fbf4d1"},
    {"GOST R 34.13-2015 Appendix A.2.1 (ECB, Magma)", GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_ECB, 0,
     "ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "",
     "92def06b3c130a59db54c704f8189d204a98fb2e67a8024c8912409b17b57e41",
     "2b073f0494f372a0de70e715d3556e4811d8d9e9eacfbc1e7c68260996c67efb"},
    {"GOST R 34.13-2015 Appendix A.2.2 (CTR, Magma)", GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_CTR, 0,
     "ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "12345678",
     "92def06b3c130a59db54c704f8189d204a98fb2e67a8024c8912409b17b57e41",
     "4e98110c97b7b93c3e250d93d6e85d69136d868807b2dbef568eb680ab52a12d"},
    {"GOST R 34.13-2015 Appendix A.2.3 (OFB, Magma, z = 2)", GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_OFB, 0,
     "ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "1234567890abcdef234567890abcdef1",
     "92def06b3c130a59db54c704f8189d204a98fb2e67a8024c8912409b17b57e41",
     "db37e0e266903c830d46644c1f9a089ca0f83062430e327ec824efb8bd4fdb05"},
    {"GOST R 34.13-2015 Appendix A.2.4 (CBC, Magma, z = 3)", GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_CBC, 0,
     "ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "1234567890abcdef234567890abcdef134567890abcdef12",
     "92def06b3c130a59db54c704f8189d204a98fb2e67a8024c8912409b17b57e41",
     "96d1b05eea683919aff76129abb937b95058b4a1c4bc001920b78b1a7cd7e667"},
    {"GOST R 34.13-2015 Appendix A.2.5 (CFB, Magma, s = n, z = 2)", GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_CFB, 0,
     "ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "1234567890abcdef234567890abcdef1",
     "92def06b3c130a59db54c704f8189d204a98fb2e67a8024c8912409b17b57e41",
     "db37e0e266903c830d46644c1f9a089c24bdd2035315d38bbcc0321421075505"},
    {"RFC 8645 Appendix A (R 1323565.1.017-2018 Appendix A), CTR-ACPKM, Kuznyechik, N = 256 bits", GOSTKIT_CIPHER_KUZNYECHIK, GOSTKIT_CIPHER_MODE_CTR_ACPKM, 32,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1234567890abcef0",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011"
     "33445566778899aabbcceeff0a001122445566778899aabbcceeff0a00112233"
     "5566778899aabbcceeff0a0011223344",
     "f195d8bec10ed1dbd57b5fa240bda1b885eee733f6a13e5df33ce4b33c45dee4"
     "4bceeb8f646f4c55001706275e85e800587c4df568d094393e4834afd0805046"
     "cf30f57686aeece11cfc6c316b8a896edffd07ec813636460c4f3b743423163e"
     "6409a9c282fac8d469d221e7fbd6de5d"},
    {"RFC 8645 Appendix A (R 1323565.1.017-2018 Appendix A), CTR-ACPKM, Magma, N = 128 bits", GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_CTR_ACPKM, 16,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "12345678",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899",
     "2ab81deeeb1e4cab68e104c4bd6b94eac72c67af6c2e5b6b0eafb61770f1b32e"
     "a1ae71149eed1382abd467180672ec6f84a2f15b3fca72c1"},
};

/* test-vectors/gost3413.toml (mode = "mac": OMAC) and acpkm.toml (kind = "omac": OMAC-ACPKM;
 * section sizes 0 mark plain OMAC) */
static const struct omac_vec omac_vectors[] = {
    {"GOST R 34.13-2015 Appendix A.1.6 (MAC, Kuznyechik, s = 64)", GOSTKIT_CIPHER_KUZNYECHIK, 0, 0,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011",
     "336f4d296059fbe3"},
    {"GOST R 34.13-2015 Appendix A.2.6 (MAC, Magma, s = 32)", GOSTKIT_CIPHER_MAGMA, 0, 0,
     "ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "92def06b3c130a59db54c704f8189d204a98fb2e67a8024c8912409b17b57e41",
     "154e7210"},
    {"RFC 8645 Appendix A (R 1323565.1.017-2018 Appendix A), OMAC-ACPKM, Kuznyechik, 1.5 blocks, N = 256, T* = 768", GOSTKIT_CIPHER_KUZNYECHIK, 32, 96,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1122334455667700ffeeddccbbaa99880011223344556677",
     "b5367f47b62b995eeb2a648c5843145e"},
    {"RFC 8645 Appendix A (R 1323565.1.017-2018 Appendix A), OMAC-ACPKM, Kuznyechik, 5 blocks, N = 256, T* = 768", GOSTKIT_CIPHER_KUZNYECHIK, 32, 96,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011"
     "33445566778899aabbcceeff0a001122",
     "fbb8dcee45bea67c35f58c5700898e5d"},
    {"RFC 8645 Appendix A (R 1323565.1.017-2018 Appendix A), OMAC-ACPKM, Magma, 1.5 blocks, N = 128, T* = 640", GOSTKIT_CIPHER_MAGMA, 16, 80,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1122334455667700ffeeddcc",
     "a0540e3730acbcf3"},
    {"RFC 8645 Appendix A (R 1323565.1.017-2018 Appendix A), OMAC-ACPKM, Magma, 3 blocks, N = 128, T* = 640", GOSTKIT_CIPHER_MAGMA, 16, 80,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "1122334455667788",
     "34008dad5496bb8e"},
};

/* test-vectors/gost28147.toml: every entry with an explicit input except "testecb1" (ECB with
 * meshing, which this API rejects) and the input_repeat ones (5 MiB / peer values) */
static const struct g89_vec g89_vectors[] = {
    {"GOST R 34.12-2015 Appendix A.2 (RFC 8891 §A.3-A.4) Magma example, re-expressed in the legacy convention", GOSTKIT_GOST28147_SBOX_TC26_Z, GOSTKIT_GOST28147_MODE_ECB, 0,
     "ccddeeff8899aabb4455667700112233f3f2f1f0f7f6f5f4fbfaf9f8fffefdfc",
     "",
     "1032547698badcfe",
     "3dcad8c2e501e94e"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b), ECB case from RFC 5831 §7.3.1 iteration 1, K[1] (see RFC 5831 errata)", GOSTKIT_GOST28147_SBOX_TEST, GOSTKIT_GOST28147_MODE_ECB, 0,
     "546d203368656c326973652073736e62206167796967747473656865202c3d73",
     "",
     "0000000000000000",
     "1b0bbc32cebcab42"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b), ECB case from RFC 5831 §7.3.1 iteration 1, K[4]", GOSTKIT_GOST28147_SBOX_TEST, GOSTKIT_GOST28147_MODE_ECB, 0,
     "ec0a8ba15ec004a8bac50cac0c621deee1c7b8e7007ae2ecf2731bff4e80e2a0",
     "",
     "0000000000000000",
     "2d562a0d190486e7"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b), ECB case from RFC 5831 §7.3.1 iteration 2, K[1]", GOSTKIT_GOST28147_SBOX_TEST, GOSTKIT_GOST28147_MODE_ECB, 0,
     "348724a4c1a67667153dde5933884250e3248c657d413b8c1c9ca09a56d968cf",
     "",
     "34c01533e37d1c56",
     "863e78dd2d60d13c"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testcfb1\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, GOSTKIT_GOST28147_MODE_CFB, 1,
     "8d5a2c83a7c70a61d61b34b51fdf42686671a35d874cfd84993663b61ed60dad",
     "46606f0d8834235a",
     "d2fdf83ac1b439232eaacc980a02da33",
     "88b7751674a5ee2d14fe9167d05ccc40"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testcnt1\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, GOSTKIT_GOST28147_MODE_CNT, 1,
     "599f84bac3f3d2f160e1e3f26a961af99c48b24ebcbbbf7cd8f3accd968d286a",
     "8dafa8d158ed058d",
     "90a23966ae01b9a3524ec8ed6cdd8830",
     "6e7262cce3593690833afea91bc9bece"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testimit1\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, 0, 1,
     "9d05b79e90cad00a2cdad22ef4e86f5cf5dc37681985b3bfaa18c1c3050a91a2",
     "",
     "b5a1f0e3ce2f021d676194345c41e36e",
     "f81f08a3"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testcfb2\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_B, GOSTKIT_GOST28147_MODE_CFB, 1,
     "480c741b026b55d5b66dd71d4048056b6deb3c290f848023ee0d4777e3fe61c9",
     "1f3f821e0dd81e22",
     "8c9c4435fbe9a5a3a0ae285691108e1ed2bb185381270da6685936c581629a8e"
     "7d50f16f976229ec8051e37d6cc407952863dcb4b92db813b105b5f9eb75374e"
     "f7bf51f1988643c4e43d3ea762ec4159e0bdfbb6fdece07713d25990a1b8976b"
     "3d8b7dfc9dca827332700a7403c60c267f56f09db2eb7140d7c3b1a7c51e2017"
     "b3501d8a6e19cbbe20862bd61cfdb4b75d9ab3e37d157a35019f5d65894b34c6"
     "f4813f7830cfe915909af9deba63d01914663cb9a4b2849402cfce20cf76e7c5"
     "48f7693a5decaf41a7126483f5991e9eb2ab861600238ee6d9800b6dc593e25c"
     "8cd85e5aae4a85fd7601ea30f37834107251bc9f76ce1fd48f335034c74d7bcf"
     "91637d829ea12345f545ac987a48ff64d55947de2b3ffaec50e081608bc3fc80"
     "9817c7a3c2573dab9167f5c4ab92c8d63b6b3fff156bcf536502f174caa9be24"
     "d2f0b726a8d76ded90367b3e41a97fa31bf443c551be2859e94526493832f8f3"
     "926e30ccb0a0f90114c8bad9f02a29e2529a76953a1632ecf410ecee47007019"
     "e472356644532da2f3aa7e8a3313cdc8bf0e409000e442c30984e16617a2af03"
     "ab6ba1ecfb177281fe9a9ff4b2331fae0cd16aae19b8afece3ea00f8ac87075f"
     "6db0ac6b224836bf2218b0039f6c704536f06bc6c2a5722cd8e0273dec560705"
     "7d83a1657d415bcd7724e5aa7647d050f6e7b559753127efd8a64e7fb840b1df"
     "5314edf1685ffc3f02db05eb31e42c7f32b5708e7585a45c162337f21079cbdc"
     "f81c25c2a13d9c336cedc3e7f30287824efbacb32dfcf80d1d4a39d4b309bbe9"
     "25c7ec6a877284ed12601964eb162a5b107627ff7be4aee5a404027fbb0ab5f4"
     "05a5561c53317a93ba1615ab6260fcde72366e28af980de6f4de60a77e060786"
     "f394b66d0d93a6bc607033ac3fa1a84a2061b6b543a3155a00be76985772ab7a"
     "0e1893823a18786e717b784f7e8cde7a62b50a7c451d16d5c38c9b25b45090cd"
     "9693ad0fd443cb490ffc5a31f419b7d4eb4d4058d03bc8e04a542fdb22c3297b"
     "40906143d37ee2302b483cce9093b18b3196656d578b9d4d53f0831ce5a19d55"
     "e3bf7eca1a746614cc4743d9bbef977db76efff122f8102d3fcd4996d90911b8"
     "33d0239afa16cb502657245c0ebaf03f372fa3f71857484895cfef87672ae9b6"
     "8a21367fff486c463557f2bc48678f632378112bc208de51e88b9229f99a9ead"
     "ed0feba2d24092d4de629576fd6e3cbfc0d70de51ba4c718e158a456ef2e171b"
     "75cbbcf92a9571a71d7fe77363056b194cf42214c45988669286615c6aaeec58"
     "ffc9f244d4a2f598eb5f09bc8abf3cb43eb120054496790a40927f9dd1afbc90"
     "950a81d4a7c6b8e0e439301d79c0e5fab4e963b409723b3ed9f6d91021187ee5"
     "ad81d7d582d08c3b3895f89201a9920070d1a788771f3aebb5e4f59dc73786b2"
     "12463419728cf58cf67898e07cd3f4",
     "23c67f20a12358bc7b05db2115cf9641c788ef765c49db42bff3c0f5bd5dd98e"
     "af3df4e4da88bdbc475d7607c95f541d1d6aa12e18d66084021837929215ab21"
     "ee21cc716e51d92bcc81973feb4599b81bdaff90d341069c3ffbe4b2dcc9030d"
     "a7aed77d02b832abf365a3656c4ee4a25e9eeecdde79366b1be13cdf10ad4f02"
     "e114aa09b40b76eb69382002cb8ec0dfca4874c331ad422c519bd06ac136d721"
     "dfb045baca7f352028bbc176fd435d237d31841a974d83aa7ef1c4e683ac0def"
     "ef3ca47c48e4c8ca0d7dea7c45d77350251d01c4021acde0385ba85a169a1059"
     "74d719c6f3b517f6598d62af44e8dce9c176f1d0bd29d7ec1dac57db1a3fd8f6"
     "6eb6e6df36e789ce5635431c7d57790ed8f4d7a70dc68f916667820f49c9c565"
     "81a1395a539f02a5d53622a8a81c370e7646dfbd6adbfc1bbd10b8b1bc724c58"
     "4ada6d6600da7a66a0e73b39a3f70507fa214bc794c0d37b19025d4a10f1c20f"
     "196827c77dbf5503577daf77ae802f7ae61f4bdc1518c062a1e8d91c9e8c9639"
     "c1c488f70ce104846851cef190da7f76c8c088ef8e15253e7be479b5662d9cd1"
     "13dad0d546d58d461807eed8c964e3be0e6827099626f6e219613ff458270aeb"
     "ce7cb66892e7123b31d448df358df486422a154be8191f26659ba8da4b791f8e"
     "e6137e498fc1cedc5e6474ce0278e0cfa0ed5e3174d1d0b4ee7019143c8f16a6"
     "cf12931588eb91657698fda19430ba4362654004779ed6ab8b0d9380505fa276"
     "20a7d69c271527bca55abfe9928205a841e9b560d5c0d74bad38b2e9d1e5515f"
     "2478249a23d2c248bd0ef137729187b04ebd996b2c01b67969ec0cede53f5064"
     "7cb9dde19281b5d0cb1783868bea4f9308bc220cefe80df59e23e1f9b76b450b"
     "cba9b64d2825ba3e86f275475d9d6bf68a0558733d00defd69b16116f52eb09f"
     "316a00b9ef716347a3cae040a87e0204fee5ce4873e394cfe2ff297ef632bbb7"
     "5512217a9c75040cb47cb03d40b3119a7a9a13fb77a75168f705473b0f525ce6"
     "c2993a37545c4f2ba7010874bc91e3e2fe6594fd3d18e0f062edc210829c587f"
     "b2a3878a74d9c1fb842817c72bcb531f4e8a82fcb43fc14725f321dc4c2d08fa"
     "e70f03a968de6b41a0f9416c574d3a0eea51ca9f97117df68e886367c96513ca"
     "38ed35bef427a9fca9e6c3408608397237eeb2870996b740873692c15d6a2c43"
     "ca25c835372db5a9274450f26d227541772adbb18c6d05e8c999c708f9148f78"
     "a98fc25a7a65c5d886bb72696b6b45835bb1f7cd1673eee98085fe8ee1ae538f"
     "debe488b59eff67ed8b5a847c04e1558cad32ff86ca63d784d7a54d610e5cc05"
     "e229b58607397d788e5a8f834ce73d683ee502e6644f5eb44977f0c0fa6fc8fb"
     "9f846f55fb305e8993a9f3a6a3d726bbd8a8d9951dfefcd7a893662f04530664"
     "7f3129aeb79fbac46d68d12432f411"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testcfb3\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_C, GOSTKIT_GOST28147_MODE_CFB, 1,
     "77c3458ef642e7048efc08e47096d6059359026d6f97cae9cf89444bde6c221d",
     "437c3e8e2f2a0098",
     "079c91be",
     "19358134"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testcfb4\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_D, GOSTKIT_GOST28147_MODE_CFB, 1,
     "389fe837ff9c5d29fc4855a087eae84020875bb2011555a7e32dcb3dd6590473",
     "c5a2d21f2fdfb8eb",
     "2f31d883b420e86eda",
     "6da4ed40088871ad16"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testcnt2\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, GOSTKIT_GOST28147_MODE_CNT, 1,
     "1b5ddb77cff9ec955ecc679f5d28ad4a27f432c6b2cbb1456a88140c9b9b5f48",
     "71588ce155f4f6b3",
     "3d0b69f7a8e4fc99222eeed16312fea89dcb6c4d488ce8bd8b60f1bf7be379d5"
     "2b259713ef35daf4bc77ceeae93fa4b601d5732958dad76717ace4752f5723ac"
     "9621c7622df732b5445f72b15fba1b1edb4a098c9261a2b04968e5b3a28f134b"
     "f54d84daaba0b6d15a6319e8a209f6766f9b480a155db720219a2eb96dfa1ec2"
     "0eef15ab5901fe4390f262ca4a9a4838ab6f9d21b3ada76046e3efd0e31dc5e1"
     "b8a1e29920c576ccaa8aa94555a0780064decf5bdf2648cdba8ab5fbfd4ad5c4"
     "e043a67190a48bca2e887bacb2dcf201cbda6e91272844889ad212f1a6f5b761"
     "ce7962523ce61473d1419250bddc3bd0a7118c3ae42df252d32f7c8e54904e23"
     "aeb3a0f3257e66aa0f6f817277bbd347e805ffe15bc93750334917afab1de115"
     "f2e5985e2d051f0d5597edff5ee00fc39cbd82c206be4566ae33be2848e92d1a"
     "e6658edf7603734bc08071f9acbaa0b0191a0ad43512887605758f7cb5f01975"
     "6d05cb0dbc8de9f0d4db3c3c298e2c321df7b649cfdb63ee3cfa33736fe4974e"
     "2fc94c5c65feeafbc6ddc11c473ff4502fde1b5b0b16cab64644f2c10da11da6"
     "dbf03db16c0531858e74aef23926f7c1e74cdd9d40b8f3c5c216646baadb4b82"
     "5cd302d38f26798db0787019580cb43188441c916ff45239a8f5c01bfef20e4b"
     "ac0ac27e9c9beb5d4e4f42d8710a9727031496a63d04ea9f1414274cd9a2895f"
     "654ae19d2cb8f8d48f2a5736cc069c2cc51316dffcae2216a82b716f1db34754"
     "3f2d0a689f2ef690d8a12109d497b97b7f9b6aedd1f0e3b628c7628200c938a1"
     "8278ce87c853ac4f2e31b9507f36004a32e6d8bb59450e911b38a9bcb95e6c6a"
     "9c03011cdee81f1ee3de25a25679e1bd58c493e6d08a4d08abf7aac37dc1ee68"
     "37bc780b19682b2b2e6dc46faa3bc619cbf158b9608545ae5297ba2432137216"
     "6e7bc198acb1edb4cc6ccf45fc5089808e7aa4d364506337c96cf1c43dfbde5a"
     "5ca82135e62e8c2a3c1217799a0d2e79eb671f2bf86ecac1fa45189edf6ae6cb"
     "e95cc309af935813bf90848775d682288de72fa3fb97742a730482067669b10b"
     "19fcaeb3dd2ae5c105d88095229071fcc29242fdf170b46888a49e0a244013c8"
     "a2564f39e606f1dcf5130ead9c8bafe9e38872ffa06dda0870b92e83c5bb32a5"
     "74c7fb7b76af02bb2bb85e6502fe0ea099ce013b35e1b022e594bddd8ebbf675"
     "bfbfee7ab158b481b8393eb61ededa1bd5f7dd7d659caa5693b8af4853c722e4"
     "1cdfe979b42089cc2a792c09be78cfccf290d665c529fcda69fcc0d67099613f"
     "6002d81222c834c63bb3c233a15c8f4cd15272f242058e181f16dab853a15f01"
     "321b90b3539bd085612d17ed0aa4a52709757cbc30f75e599a07968428864ba7"
     "223528c7ed0dc3ce98cc2decd498098e525f2b9a13be991673d11f81e5a20878"
     "cb0c20d4a5ea4b5b955a929a52",
     "8ecd8fc8ace115482dae248ac7fbba0f1d8a95a243efcbdc5957a7c70ee3e2b9"
     "0d862962cb834d070c40d47b2ecababf4a603b3198c88847d982abfc8f48e246"
     "abd3a1ab8a05228cf4ec9a1e76ab1a60d9256bb856e5b2ea10f36204325eaa3b"
     "7b57bc3b8b4347f2d5037e5101ff7728ca90a3fe7e2e7016751844f01b8505ea"
     "e321f72686763c679dfcbc107f77e4edd312f883001f4b9295925cf35af3b7d0"
     "a95ff218c46662c1840e66e8807d1ff0ba019b71ae93cc2754349abdcaee5209"
     "929db0d5d9ba2fb996dcfabdceea1a7b9a1d13a711e29a64f6d3eec633b76eef"
     "259e1e7ce31f2c6ea9c0f8c1bf3bf834039ba1405b0c3c09669d63e2e2048f06"
     "847468b25c3b4cad0b3f03b3078a64a73656263966dae96d1bd588e85caf5a4c"
     "49f7f5b778f0deeccd16239e8c13be6b6f9b07e5bbcc3a1b6f43dfff462aae47"
     "19189a2509c924400c4ba7da5e0deefa62458ecc2f23081d92f0fe820fd71160"
     "7e0b0b75f4f53bc0a4e872a5b6fa5aad5a4f39b5a212960a3284b2a106685657"
     "97a37b2261765d301a31ab9906c51a96cfcf14ffb2c4cc2bbf0c9d918f795bbc"
     "a96b916ab4935c7b5dc28a75c0c108fa99f94d5e0c066460a9014a340f338495"
     "6930c11c36f8fc3023b271e5524d121ac9beeec9cb0185f3db30f941a940b006"
     "2977cdc5ec5802488353446ad2ca05d85a08eba9f4e6c79dd57b740b31b7a557"
     "7c7afd1a0ed79741bfddc6196c778c18525783ba7125ee39bbe243a014dc0e84"
     "b42bde3ee536b7a2929805b896e5d08c089335c281e0fc5971e244495ddafb9c"
     "aa709f43a8a5d967d98fa31ebe0eecdf122b6ae71c1217e7c46d50c9527ad5e8"
     "7fbc0715acdb9366b1f0a77b2fe9ecd047695987f14c3e4b9b117913e496f656"
     "046e0b33fc40f6c7c143b1bf0eb387fd0b1c63463ad3a0175925946c9c3d0c81"
     "ce82724228f9376a6de412f421aaf7fe2755401a14c3395bbf63c25f101f1425"
     "d0cef3144813a50b4d38cf0d34c00a11b4b572c84bc26fe79d93f7dfb843727e"
     "da3e201fbc212ace00fa969f3de58896ef2984df6c1c96d85847aa92f307e5fb"
     "afea957e0b71cd810fb70a598f314dd1c3f32f705c591897af77955eaf400612"
     "816186084ebc8946072e5b10aa12f0a784e29a08f1de59e30e474bffc3c918af"
     "959c672ade8a7a9904c4b8974c04297105dab3d6db6c71e6e803bf947dde3dc8"
     "44fa7d62b43603ee365264b4856dd578f06f672d0ee02c889b55192940f68c12"
     "bb2c839640c036f577ff708c75920bad059b7ea2fca9d164768213ba225e330e"
     "2670a9be7428f5e2c496ee3abc97a62c2ae0648d35c61acaf492fac3f11f98e4"
     "4388693a09bf63e596290b9b6223148a95e41c5c0aa9c5b96f4f2b256f741e18"
     "d5fe277d3f6e552c67e6deb5ccc02dffc4e40621a5c8d3d66ca1c3fb8892b11d"
     "90e135059b296dbaf1f41e232e"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testimit2\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, 0, 1,
     "80d9a0dc21f9304075fe491b9e7190917888216039e7c92bfb551df4dd2b0a01",
     "",
     "d6cf31969ca1fbd68da3dd01d988c02fbc46c73ae42186968de2cab637a2e1a8"
     "7ea7792ea456757f3e558b43ae65dfaa42b600a661030dd34102272395799b34"
     "81a986b5a790e2aec42fc38e325613fa4d4e9f15757e74dc322dee4d67709f62"
     "b9c4db2484cc167bda22f7c5f3933573c6031c77a5f27656b495d47e0d20c66e"
     "ee8f2548ff7e013ab41faa35c033589cb5ba654bd35114ec61cee4ba49ba3932"
     "abce8172ceabedd4d219878592fa6434d886f48a083cdeee97929269ba9b5f7a"
     "03c15d43028cbed2467281407d6898450b54271caf8042e4d5d4e4a298078f03"
     "f52c8c88ca5adee49fb15f82ff20675285844fc8fea79eae1cfab875d3f79f0d"
     "da2de6cc866ba41465c3f915bc87f5ae8c10d4ce5b9ce2dd4203098747ed5dd0"
     "7a694cfa437dbf07856aee68e67a57b2208d80f2916f5c078ce46a4990858b77"
     "29561c5ea93fab8b79a36f6b34cb61f6e692d1489e11a282c04e23d2150d8dff"
     "fa179d81b8bcd75b08812040c03c068b1a880b4b7b31f5d44e09d14d0d7f45d1"
     "0935bace65ddf2b8fb7abcc44bc875da6bce3de894cc236fb03b4f7d07b90f62"
     "927eda7050ced328121100eb8d637078a87b76abc640c04e80ddf0fe8372564c"
     "094cf17272862631c3c2dc8ec7f435ec17066347498847afb3384f7e4495b5bb"
     "1dbd5a915bd01adf0d0b50d8e20ec5002d5b2919aa2b64c540314811bc04d1cf"
     "6df9a52f4ac982fa59e1fcab1c33260a5feff206d8d37e1658167873aebaebe5"
     "3db20ab3322d14a4fa3f1f43f97ba9439818940707e51934a8165f7167aa29e5"
     "faf083061d9dfcfefe8cb5b2a9e7a04060b6719eab5b83b90c2b582380099e5d"
     "947d4076a916969e83e00deca0ec762ab7a0ffb8504c5bc68b0a652efeb4409a"
     "01d8c6a3ab99a2c50c08c4b7ee4d1dc40815d0dbaa634f31eb149743bdc19408"
     "e6de439f950b967e7f3c68ba6fc4c9352bc40eda1f916864633473be5775b9ed"
     "f72d3b0521932848969597a0d27d78bb6a498f76557463b9c5361225bf03828f"
     "f0f680bb33b4f417271cf34c10a3e4d155d968214e5a8367bff83c7d4e62d328"
     "a7266fe9eec20b2d0384b1ffd6681fb6f2e40fda2dee5f6e21c8e1fcad6b0e04"
     "7dafc23ba5689b0cf356f3da8dc87d39dcd599c60110ce421bac48dc97780aec"
     "b38f4735a36a64b28e63692266ae2ee088f9403cc9a25761f6adf0dc90563f06"
     "9b7dbdc28102abb81509884aff2f31bf5efa6a7ef6c5a7f7d5ab55acae0d8c8d"
     "7f4b25bb32ff11332e373769961517b11749e09a9cd95b8d58a31d9287f880b9"
     "bd5aec40e1003360e486166d6181f2286aa7ce3f95ae43cae13f81747e1c4717"
     "95c660da7477d99ffa92b4bee1239818956303134c1a2d41cde484f7e638efff"
     "95b2e87c8f58b5b5ed277f3c18abbe7f4fe2351571b76f85389b88f69c8d43b5"
     "589ef2d196beb7ad1aa098",
     "90f2119a"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testimit3\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, 0, 1,
     "a9b637cc6d9b2f25b0df47045068b0274127586abd0a6e502fc6fcc03e2942a5",
     "",
     "1debe6790a5900e68e5c",
     "317c16e4"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testimit4\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, 0, 1,
     "b06c48230a6ef4ec27980123a7d8bf6089efade88f79148c185c9adaef0bdda0",
     "",
     "ef068f14c904",
     "e972aebf"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testimit5\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_B, 0, 1,
     "33d3ef0119950e15a16975ae562717796347ab629d4af034d31e6974ec3148fc",
     "",
     "02f8ec2b4d1fbc7c6e47e387227541a7",
     "f5551f28"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testimit6\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, 0, 1,
     "423581910ba999ffd943f8c619551f2f2d4540201e1d327ab1076b4f4590d980",
     "",
     "f3b229d27a370312",
     "6e15fae8"},
    {"gost-engine test_gost2814789.c (commit a34a05e29a1b) case \"testimit7\", calculated by CryptoPro CSP 3.6R2 (libcapi10)", GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, 0, 1,
     "26cbb9f00c629faa4a1db6300901568966d4e40efef6106b6ce8043ae3614b19",
     "",
     "",
     "00000000"},
};

/* test-vectors/keywrap.toml (peer values, see the file: no official KAT was found) */
static const struct wrap_vec wrap_vectors[] = {
    {"peer: gost-engine a34a05e29a1b gost_keywrap.c keyWrapCryptoPro + keyDiversifyCryptoPro (RFC 4357 §6.3, §6.5), Gost28147_CryptoProParamSetA", 1, GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A,
     "031425364758697a8b9cadbecfe0f102132435465768798a9bacbdcedff00112",
     "9d3e7102c455e8b6",
     "a5a2abb0b9868f949d9ae3e8f1fec7ccd5d2db2029363f040d0a1318616e777c",
     "9d3e7102c455e8b6b96d7ba9150894ddb3c69f0b0f241119887ee7831bdacbbe"
     "2ab6faed64f2ea6a6b64accd"},
    {"peer: gost-engine a34a05e29a1b gost_keywrap.c keyWrapCryptoPro + keyDiversifyCryptoPro (RFC 4357 §6.3, §6.5), Gost28147_TC26ParamSetZ", 1, GOSTKIT_GOST28147_SBOX_TC26_Z,
     "031425364758697a8b9cadbecfe0f102132435465768798a9bacbdcedff00112",
     "9d3e7102c455e8b6",
     "a5a2abb0b9868f949d9ae3e8f1fec7ccd5d2db2029363f040d0a1318616e777c",
     "9d3e7102c455e8b6061d0feb079c0451d69abedf723d4f4c4a9cf9189bb1be89"
     "39a5acb6a279a02bc256111a"},
    {"peer: gost-engine a34a05e29a1b gost89.c gost_enc + gost_mac_iv(UKM) as in RFC 4357 §6.1, Gost28147_CryptoProParamSetA", 0, GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A,
     "031425364758697a8b9cadbecfe0f102132435465768798a9bacbdcedff00112",
     "9d3e7102c455e8b6",
     "a5a2abb0b9868f949d9ae3e8f1fec7ccd5d2db2029363f040d0a1318616e777c",
     "9d3e7102c455e8b655390e1cf6917ba5cd7bdf47ee86eb5015f3866e335fb462"
     "3ff2c636f5f761b6e3867291"},
    {"peer: gost-engine a34a05e29a1b gost89.c gost_enc + gost_mac_iv(UKM) as in RFC 4357 §6.1, Gost28147_TC26ParamSetZ", 0, GOSTKIT_GOST28147_SBOX_TC26_Z,
     "031425364758697a8b9cadbecfe0f102132435465768798a9bacbdcedff00112",
     "9d3e7102c455e8b6",
     "a5a2abb0b9868f949d9ae3e8f1fec7ccd5d2db2029363f040d0a1318616e777c",
     "9d3e7102c455e8b6fa6412ac89f9d8995285d48b44beca49e9c5ed21df2140bd"
     "a5603734b655051c97eb9297"},
};

/* test-vectors/mgm.toml */
static const struct mgm_vec mgm_vectors[] = {
    {"RFC 9058 Appendix A.1 (MGM with Kuznyechik)", GOSTKIT_CIPHER_KUZNYECHIK,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "1122334455667700ffeeddccbbaa9988",
     "0202020202020202010101010101010104040404040404040303030303030303"
     "ea0505050505050505",
     "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a"
     "112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011"
     "aabbcc",
     "a9757b8147956e9055b8a33de89f42fc8075d2212bf9fd5bd3f7069aadc16b39"
     "497ab15915a6ba85936b5d0ea9f6851cc60c14d4d3f883d0ab94420695c76deb"
     "2c7552",
     "cf5d656f40c34f5c46e8bb0e29fcdb4c"},
    {"RFC 9058 Appendix A.2 (MGM with Magma)", GOSTKIT_CIPHER_MAGMA,
     "ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "12def06b3c130a59",
     "0101010101010101020202020202020203030303030303030404040404040404"
     "0505050505050505ea",
     "ffeeddccbbaa998811223344556677008899aabbcceeff0a0011223344556677"
     "99aabbcceeff0a001122334455667788aabbcceeff0a00112233445566778899"
     "aabbcc",
     "c795066c5f9ea03b85113342459185ae1f2e00d6bf2b785d940470b8bb9c8e7d"
     "9a5dd3731f7ddc70ec27cb0ace6fa57670f65c646abb75d547aa37c3bcb5c34e"
     "03bb9c",
     "a7928069aa10fd10"},
};

/* test-vectors/kexp15.toml */
static const struct kexp_vec kexp_vectors[] = {
    {"R 1323565.1.017-2018, KExp15 example (Magma)", GOSTKIT_CIPHER_MAGMA,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "08090a0b0c0d0e0f0001020304050607101112131415161718191a1b1c1d1e1f",
     "202122232425262728292a2b2c2d2e2f38393a3b3c3d3e3f3031323334353637",
     "67bed654",
     "cfd5a12d5b81b6e1e99c916d07900c6ac12703fb3abded55567bf3742c899c75"
     "5dafe7b42e3a8bd9"},
    {"R 1323565.1.017-2018, KExp15 example (Kuznyechik)", GOSTKIT_CIPHER_KUZNYECHIK,
     "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef",
     "08090a0b0c0d0e0f0001020304050607101112131415161718191a1b1c1d1e1f",
     "202122232425262728292a2b2c2d2e2f38393a3b3c3d3e3f3031323334353637",
     "0909472dd9f26be8",
     "e36184e84e8d736ff36cc2e5ae065dc656b23c20f549b02fdff88e1f3f30d8c2"
     "9a53f3ca554dbad80de152b9a4625b32"},
};

/* test-vectors/kdf.toml */
static const char *kdf_source = "RFC 7836 Appendix B, example 9 (R 50.1.113-2016 Appendix A)";
static const char *kdf_key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char *kdf_label = "26bdb878";
static const char *kdf_seed = "af21434145656378";
static const char *kdf_out = "a1aa5f7de402d7b3d323f2991c8d4534013137010a83754fd0af6d7cd4922ed9";
static const char *kdf_tree_source = "RFC 7836 Appendix B, example 10 (R 50.1.113-2016 Appendix A)";
static const size_t kdf_tree_r = 1, kdf_tree_len = 64;
static const char *kdf_tree_out =
    "22b6837845c6bef65ea71672b265831086d3c76aebe6dae91cad51d83f79d16b"
    "074c9330599d7f8d712fca54392f4ddde93751206b3584c8f43f9e6dc51531f9";

/* test-vectors/pbkdf2.toml */
static const char *pbkdf2_source = "R 50.1.111-2016 test examples (RFC 9337 test vectors), example 3";
static const char *pbkdf2_password = "70617373776f7264";
static const char *pbkdf2_salt = "73616c74";
static const uint32_t pbkdf2_iterations = 4096;
static const char *pbkdf2_out =
    "e52deb9a2d2aaff4e2ac9d47a41f34c20376591c67807f0477e32549dc341bc7"
    "867c09841b6d58e29d0347c996301d55df0d34e47cf68f4e3c2cdaf1d9ab86c3";
static void test_hmac(void) {
    for (size_t i = 0; i < sizeof hmac_vectors / sizeof hmac_vectors[0]; i++) {
        const struct hmac_vec *v = &hmac_vectors[i];
        uint8_t key[64], data[64], tag[64], out[64];
        size_t kl = unhex(v->key, key, sizeof key), dl = unhex(v->data, data, sizeof data);
        size_t tl = unhex(v->tag, tag, sizeof tag);
        size_t out_len = sizeof out;
        check(gostkit_hmac(v->alg, key, kl, data, dl, out, &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == tl && memcmp(out, tag, tl) == 0, v->source);

        /* Streaming byte by byte == one-shot; finish restarts with the same key. */
        gostkit_hmac_ctx *ctx = NULL;
        check(gostkit_hmac_new(v->alg, key, kl, &ctx) == GOSTKIT_STATUS_OK && ctx, "hmac_new");
        for (size_t j = 0; j < dl; j++)
            check(gostkit_hmac_update(ctx, data + j, 1) == GOSTKIT_STATUS_OK, "hmac_update");
        out_len = tl - 1;
        check(gostkit_hmac_finish(ctx, out, &out_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
                  out_len == tl, "hmac_finish short buffer keeps the state");
        out_len = sizeof out;
        check(gostkit_hmac_finish(ctx, out, &out_len) == GOSTKIT_STATUS_OK && out_len == tl &&
                  memcmp(out, tag, tl) == 0, "HMAC streaming == one-shot");
        check(gostkit_hmac_update(ctx, data, dl) == GOSTKIT_STATUS_OK, "hmac_update after finish");
        out_len = sizeof out;
        check(gostkit_hmac_finish(ctx, out, &out_len) == GOSTKIT_STATUS_OK &&
                  memcmp(out, tag, tl) == 0, "HMAC reuse after finish");
        gostkit_hmac_free(ctx);
    }
    uint8_t out[64];
    size_t out_len = sizeof out;
    check(gostkit_hmac(GOSTKIT_HASH_ALG_GOST94, NULL, 0, NULL, 0, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT, "HMAC over GOST94 is refused");
    check(gostkit_hmac(77, NULL, 0, NULL, 0, out, &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "HMAC unknown alg");
    out_len = 0;
    check(gostkit_hmac(GOSTKIT_HASH_ALG_STREEBOG512, NULL, 0, NULL, 0, NULL, &out_len) ==
              GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 64, "HMAC size query");
    check(gostkit_hmac(GOSTKIT_HASH_ALG_STREEBOG256, NULL, 5, NULL, 0, out, &out_len) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "HMAC NULL key with key_len > 0");
    gostkit_hmac_ctx *ctx = NULL;
    check(gostkit_hmac_new(GOSTKIT_HASH_ALG_STREEBOG256, NULL, 0, NULL) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "hmac_new NULL ctx");
    check(gostkit_hmac_new(3, NULL, 0, &ctx) == GOSTKIT_STATUS_INVALID_ARGUMENT && ctx == NULL,
          "hmac_new bad alg leaves *ctx");
    check(gostkit_hmac_update(NULL, NULL, 0) == GOSTKIT_STATUS_NULL_ARGUMENT, "hmac_update NULL");
    gostkit_hmac_free(NULL);
}

static void test_kdf(void) {
    uint8_t key[32], label[16], seed[16], expected[128], out[128];
    size_t kl = unhex(kdf_key, key, sizeof key), ll = unhex(kdf_label, label, sizeof label);
    size_t sl = unhex(kdf_seed, seed, sizeof seed), el = unhex(kdf_out, expected, sizeof expected);
    size_t out_len = sizeof out;
    check(gostkit_kdf_256(key, kl, label, ll, seed, sl, out, &out_len) == GOSTKIT_STATUS_OK &&
              out_len == el && memcmp(out, expected, el) == 0, kdf_source);
    out_len = 31;
    check(gostkit_kdf_256(key, kl, label, ll, seed, sl, out, &out_len) ==
              GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 32, "kdf_256 short buffer");

    el = unhex(kdf_tree_out, expected, sizeof expected);
    out_len = 0;
    check(gostkit_kdf_tree_256(key, kl, label, ll, seed, sl, kdf_tree_r, kdf_tree_len, NULL,
                               &out_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
              out_len == kdf_tree_len, "kdf_tree size query");
    out_len = sizeof out;
    check(gostkit_kdf_tree_256(key, kl, label, ll, seed, sl, kdf_tree_r, kdf_tree_len, out,
                               &out_len) == GOSTKIT_STATUS_OK &&
              out_len == el && memcmp(out, expected, el) == 0, kdf_tree_source);
    out_len = sizeof out;
    check(gostkit_kdf_tree_256(key, kl, label, ll, seed, sl, 5, 64, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT, "kdf_tree R = 5");
    check(gostkit_kdf_tree_256(NULL, 32, label, ll, seed, sl, 1, 64, out, &out_len) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "kdf_tree NULL key");

    uint8_t pw[32], salt[32];
    size_t pl = unhex(pbkdf2_password, pw, sizeof pw), sal = unhex(pbkdf2_salt, salt, sizeof salt);
    el = unhex(pbkdf2_out, expected, sizeof expected);
    out_len = sizeof out;
    check(gostkit_pbkdf2_streebog512(pw, pl, salt, sal, pbkdf2_iterations, el, out, &out_len) ==
              GOSTKIT_STATUS_OK && out_len == el && memcmp(out, expected, el) == 0, pbkdf2_source);
    out_len = sizeof out;
    check(gostkit_pbkdf2_streebog512(pw, pl, salt, sal, 0, 64, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT, "pbkdf2 zero iterations");
    out_len = 10;
    check(gostkit_pbkdf2_streebog512(pw, pl, salt, sal, 1, 64, out, &out_len) ==
              GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 64, "pbkdf2 short buffer");
}

static void test_cipher_modes(void) {
    for (size_t i = 0; i < sizeof mode_vectors / sizeof mode_vectors[0]; i++) {
        const struct mode_vec *v = &mode_vectors[i];
        uint8_t key[32], iv[64], pt[BUF], ct[BUF], out[BUF];
        size_t kl = unhex(v->key, key, sizeof key), il = unhex(v->iv, iv, sizeof iv);
        size_t pl = unhex(v->pt, pt, sizeof pt), cl = unhex(v->ct, ct, sizeof ct);
        size_t out_len = sizeof out;
        check(gostkit_cipher_encrypt(v->cipher, v->mode, key, kl, iv, il, v->section, pt, pl, out,
                                     &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == cl && memcmp(out, ct, cl) == 0, v->source);
        out_len = sizeof out;
        check(gostkit_cipher_decrypt(v->cipher, v->mode, key, kl, iv, il, v->section, ct, cl, out,
                                     &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == pl && memcmp(out, pt, pl) == 0, v->source);

        if (v->mode == GOSTKIT_CIPHER_MODE_CTR_ACPKM) {
            /* Streaming in uneven pieces (and in place for one of them) == one-shot. */
            gostkit_ctr_acpkm_ctx *ctx = NULL;
            check(gostkit_ctr_acpkm_new(v->cipher, key, kl, iv, il, v->section, &ctx) ==
                      GOSTKIT_STATUS_OK && ctx, "ctr_acpkm_new");
            size_t cuts[] = {0, 1, 7, 20, 33, pl};
            memset(out, 0, sizeof out);
            for (size_t c = 0; c + 1 < sizeof cuts / sizeof cuts[0]; c++) {
                size_t a = cuts[c] < pl ? cuts[c] : pl, b = cuts[c + 1] < pl ? cuts[c + 1] : pl;
                if (b < a) b = a;
                if (c == 2) {
                    memcpy(out + a, pt + a, b - a);
                    check(gostkit_ctr_acpkm_apply(ctx, out + a, out + a, b - a) == GOSTKIT_STATUS_OK,
                          "ctr_acpkm_apply in place");
                } else {
                    check(gostkit_ctr_acpkm_apply(ctx, pt + a, out + a, b - a) == GOSTKIT_STATUS_OK,
                          "ctr_acpkm_apply");
                }
            }
            check(memcmp(out, ct, cl) == 0, "CTR-ACPKM streaming == one-shot (vector)");
            gostkit_ctr_acpkm_free(ctx);
        }
    }

    /* Error paths on the Kuznyechik CTR vector's key. */
    uint8_t key[32] = {0}, iv[16] = {0}, data[32] = {0}, out[64];
    size_t out_len = sizeof out;
    check(gostkit_cipher_encrypt(GOSTKIT_CIPHER_KUZNYECHIK, GOSTKIT_CIPHER_MODE_CTR, key, 31, iv, 8,
                                 0, data, 32, out, &out_len) == GOSTKIT_STATUS_INVALID_LENGTH,
          "cipher bad key length");
    out_len = sizeof out;
    check(gostkit_cipher_encrypt(GOSTKIT_CIPHER_KUZNYECHIK, GOSTKIT_CIPHER_MODE_CTR, key, 32, iv, 7,
                                 0, data, 32, out, &out_len) == GOSTKIT_STATUS_INVALID_LENGTH,
          "cipher bad IV length");
    out_len = sizeof out;
    check(gostkit_cipher_encrypt(GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_CBC, key, 32, iv, 8, 0,
                                 data, 12, out, &out_len) == GOSTKIT_STATUS_INVALID_LENGTH,
          "CBC partial block");
    out_len = sizeof out;
    check(gostkit_cipher_encrypt(9, GOSTKIT_CIPHER_MODE_CTR, key, 32, iv, 8, 0, data, 32, out,
                                 &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT, "unknown cipher");
    check(gostkit_cipher_encrypt(GOSTKIT_CIPHER_MAGMA, 42, key, 32, iv, 4, 0, data, 32, out,
                                 &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT, "unknown mode");
    check(gostkit_cipher_encrypt(GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_CTR, key, 32, iv, 4, 16,
                                 data, 32, out, &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "section_len with plain CTR");
    check(gostkit_cipher_encrypt(GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_CTR_ACPKM, key, 32, iv,
                                 4, 12, data, 32, out, &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "CTR-ACPKM section not whole blocks");
    check(gostkit_cipher_encrypt(GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_CTR, NULL, 32, iv, 4, 0,
                                 data, 32, out, &out_len) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "cipher NULL key");
    out_len = 5;
    check(gostkit_cipher_encrypt(GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_CTR, key, 32, iv, 4, 0,
                                 data, 32, out, &out_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
              out_len == 32, "cipher short buffer");
    out_len = 0;
    check(gostkit_cipher_decrypt(GOSTKIT_CIPHER_MAGMA, GOSTKIT_CIPHER_MODE_OFB, key, 32, iv, 8, 0,
                                 data, 32, NULL, &out_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
              out_len == 32, "cipher size query");

    gostkit_ctr_acpkm_ctx *ctx = NULL;
    check(gostkit_ctr_acpkm_new(GOSTKIT_CIPHER_KUZNYECHIK, key, 32, iv, 16, 32, &ctx) ==
              GOSTKIT_STATUS_INVALID_LENGTH && ctx == NULL, "ctr_acpkm_new bad IV length");
    check(gostkit_ctr_acpkm_new(5, key, 32, iv, 8, 32, &ctx) == GOSTKIT_STATUS_INVALID_ARGUMENT &&
              ctx == NULL, "ctr_acpkm_new unknown cipher");
    check(gostkit_ctr_acpkm_new(GOSTKIT_CIPHER_KUZNYECHIK, key, 32, iv, 8, 32, NULL) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "ctr_acpkm_new NULL ctx");
    check(gostkit_ctr_acpkm_apply(NULL, data, out, 4) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "ctr_acpkm_apply NULL ctx");
    gostkit_ctr_acpkm_free(NULL);
}

static void test_omac(void) {
    for (size_t i = 0; i < sizeof omac_vectors / sizeof omac_vectors[0]; i++) {
        const struct omac_vec *v = &omac_vectors[i];
        uint8_t key[32], data[BUF], tag[16], out[16];
        size_t kl = unhex(v->key, key, sizeof key), dl = unhex(v->data, data, sizeof data);
        size_t tl = unhex(v->tag, tag, sizeof tag);
        size_t out_len = sizeof out;
        gostkit_status st =
            v->section == 0
                ? gostkit_omac(v->cipher, key, kl, data, dl, tl, out, &out_len)
                : gostkit_omac_acpkm(v->cipher, key, kl, v->section, v->master_section, data, dl, tl,
                                     out, &out_len);
        check(st == GOSTKIT_STATUS_OK && out_len == tl && memcmp(out, tag, tl) == 0, v->source);
    }
    uint8_t key[32] = {0}, out[16];
    size_t out_len = sizeof out;
    check(gostkit_omac(GOSTKIT_CIPHER_MAGMA, key, 32, NULL, 0, 9, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT, "OMAC Magma tag_len 9");
    out_len = sizeof out;
    check(gostkit_omac(GOSTKIT_CIPHER_MAGMA, key, 16, NULL, 0, 8, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_LENGTH, "OMAC bad key length");
    out_len = 3;
    check(gostkit_omac(GOSTKIT_CIPHER_KUZNYECHIK, key, 32, NULL, 0, 16, out, &out_len) ==
              GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 16, "OMAC short buffer");
    out_len = sizeof out;
    check(gostkit_omac_acpkm(GOSTKIT_CIPHER_KUZNYECHIK, key, 32, 0, 96, NULL, 0, 16, out,
                             &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT, "OMAC-ACPKM N = 0");
    check(gostkit_omac_acpkm(0, key, 32, 32, 96, NULL, 0, 16, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT, "OMAC-ACPKM unknown cipher");
}

static void test_gost28147(void) {
    for (size_t i = 0; i < sizeof g89_vectors / sizeof g89_vectors[0]; i++) {
        const struct g89_vec *v = &g89_vectors[i];
        uint8_t key[32], iv[8], in[BUF], expected[BUF], out[BUF];
        size_t kl = unhex(v->key, key, sizeof key), il = unhex(v->iv, iv, sizeof iv);
        size_t inl = unhex(v->in, in, sizeof in), el = unhex(v->out, expected, sizeof expected);
        size_t out_len = sizeof out;
        if (v->mode == 0) {
            check(gostkit_gost28147_mac(v->sbox, v->meshing, key, kl, iv, il, in, inl, el, out,
                                        &out_len) == GOSTKIT_STATUS_OK &&
                      out_len == el && memcmp(out, expected, el) == 0, v->source);
            continue;
        }
        check(gostkit_gost28147_encrypt(v->sbox, v->mode, v->meshing, key, kl, iv, il, in, inl, out,
                                        &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == el && memcmp(out, expected, el) == 0, v->source);
        out_len = sizeof out;
        check(gostkit_gost28147_decrypt(v->sbox, v->mode, v->meshing, key, kl, iv, il, expected, el,
                                        out, &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == inl && memcmp(out, in, inl) == 0, v->source);
    }
    uint8_t key[32] = {0}, iv[8] = {0}, data[16] = {0}, out[16];
    size_t out_len = sizeof out;
    check(gostkit_gost28147_encrypt(GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, GOSTKIT_GOST28147_MODE_CFB,
                                    2, key, 32, iv, 8, data, 16, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT, "key_meshing = 2");
    check(gostkit_gost28147_encrypt(0, GOSTKIT_GOST28147_MODE_CFB, 1, key, 32, iv, 8, data, 16, out,
                                    &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT, "unknown S-box");
    check(gostkit_gost28147_encrypt(GOSTKIT_GOST28147_SBOX_TEST, 7, 0, key, 32, iv, 8, data, 16, out,
                                    &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT, "unknown 28147 mode");
    check(gostkit_gost28147_encrypt(GOSTKIT_GOST28147_SBOX_TC26_Z, GOSTKIT_GOST28147_MODE_CNT, 1, key,
                                    32, iv, 4, data, 16, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_LENGTH, "28147 bad IV length");
    check(gostkit_gost28147_encrypt(GOSTKIT_GOST28147_SBOX_TC26_Z, GOSTKIT_GOST28147_MODE_ECB, 0, key,
                                    32, NULL, 0, data, 12, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_LENGTH, "28147 ECB partial block");
    check(gostkit_gost28147_mac(GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, 1, key, 32, NULL, 0, data, 16, 9,
                                out, &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT, "MAC length 9");
    out_len = 2;
    check(gostkit_gost28147_mac(GOSTKIT_GOST28147_SBOX_CRYPTOPRO_A, 1, key, 32, NULL, 0, data, 16, 4,
                                out, &out_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 4,
          "MAC short buffer");
}

static void test_keywrap(void) {
    for (size_t i = 0; i < sizeof wrap_vectors / sizeof wrap_vectors[0]; i++) {
        const struct wrap_vec *v = &wrap_vectors[i];
        uint8_t kek[32], ukm[8], cek[32], wrapped[44], out[64];
        size_t kl = unhex(v->kek, kek, sizeof kek), ul = unhex(v->ukm, ukm, sizeof ukm);
        size_t cl = unhex(v->cek, cek, sizeof cek), wl = unhex(v->wrapped, wrapped, sizeof wrapped);
        size_t out_len = sizeof out;
        gostkit_status st = v->cryptopro
                                ? gostkit_cryptopro_key_wrap(v->sbox, kek, kl, ukm, ul, cek, cl, out,
                                                             &out_len)
                                : gostkit_gost28147_key_wrap(v->sbox, kek, kl, ukm, ul, cek, cl, out,
                                                             &out_len);
        check(st == GOSTKIT_STATUS_OK && out_len == wl && memcmp(out, wrapped, wl) == 0, v->source);
        out_len = sizeof out;
        st = v->cryptopro
                 ? gostkit_cryptopro_key_unwrap(v->sbox, kek, kl, wrapped, wl, out, &out_len)
                 : gostkit_gost28147_key_unwrap(v->sbox, kek, kl, wrapped, wl, out, &out_len);
        check(st == GOSTKIT_STATUS_OK && out_len == cl && memcmp(out, cek, cl) == 0, v->source);
        /* A flipped MAC bit: AUTH_FAILED and nothing written. */
        wrapped[43] ^= 1;
        memset(out, 0xAA, sizeof out);
        out_len = sizeof out;
        st = v->cryptopro
                 ? gostkit_cryptopro_key_unwrap(v->sbox, kek, kl, wrapped, wl, out, &out_len)
                 : gostkit_gost28147_key_unwrap(v->sbox, kek, kl, wrapped, wl, out, &out_len);
        check(st == GOSTKIT_STATUS_AUTH_FAILED && out[0] == 0xAA && out[31] == 0xAA,
              "key unwrap tampered MAC");
        out_len = sizeof out;
        check(gostkit_gost28147_key_wrap(v->sbox, kek, kl, ukm, 7, cek, cl, out, &out_len) ==
                  GOSTKIT_STATUS_INVALID_LENGTH, "key wrap UKM of 7 bytes");
        out_len = 43;
        check(gostkit_cryptopro_key_wrap(v->sbox, kek, kl, ukm, ul, cek, cl, out, &out_len) ==
                  GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 44, "key wrap short buffer");
    }
}

static void test_mgm(void) {
    for (size_t i = 0; i < sizeof mgm_vectors / sizeof mgm_vectors[0]; i++) {
        const struct mgm_vec *v = &mgm_vectors[i];
        uint8_t key[32], nonce[16], aad[BUF], pt[BUF], ct[BUF], tag[16], out[BUF], t[16];
        size_t kl = unhex(v->key, key, sizeof key), nl = unhex(v->nonce, nonce, sizeof nonce);
        size_t al = unhex(v->aad, aad, sizeof aad), pl = unhex(v->pt, pt, sizeof pt);
        size_t cl = unhex(v->ct, ct, sizeof ct), tl = unhex(v->tag, tag, sizeof tag);

        /* Size query: both sizes reported. */
        size_t out_len = 0, t_len = 0;
        check(gostkit_mgm_seal(v->cipher, key, kl, nonce, nl, aad, al, pt, pl, tl, NULL, &out_len, t,
                               &t_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
                  out_len == pl && t_len == tl, "MGM seal size query");
        out_len = sizeof out;
        t_len = sizeof t;
        check(gostkit_mgm_seal(v->cipher, key, kl, nonce, nl, aad, al, pt, pl, tl, out, &out_len, t,
                               &t_len) == GOSTKIT_STATUS_OK &&
                  out_len == cl && memcmp(out, ct, cl) == 0 && t_len == tl &&
                  memcmp(t, tag, tl) == 0, v->source);
        out_len = sizeof out;
        check(gostkit_mgm_open(v->cipher, key, kl, nonce, nl, aad, al, ct, cl, tag, tl, out,
                               &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == pl && memcmp(out, pt, pl) == 0, v->source);

        /* Tampered tag / ciphertext: AUTH_FAILED, output untouched. */
        tag[tl - 1] ^= 0x01;
        memset(out, 0x5C, sizeof out);
        out_len = sizeof out;
        gostkit_status st =
            gostkit_mgm_open(v->cipher, key, kl, nonce, nl, aad, al, ct, cl, tag, tl, out, &out_len);
        int untouched = 1;
        for (size_t j = 0; j < sizeof out; j++) untouched &= out[j] == 0x5C;
        check(st == GOSTKIT_STATUS_AUTH_FAILED && untouched, "MGM tampered tag: AUTH_FAILED, no output");
        check(gostkit_status_is_check_failure(st), "AUTH_FAILED is a check failure");
        tag[tl - 1] ^= 0x01;
        ct[0] ^= 0x80;
        out_len = sizeof out;
        st = gostkit_mgm_open(v->cipher, key, kl, nonce, nl, aad, al, ct, cl, tag, tl, out, &out_len);
        check(st == GOSTKIT_STATUS_AUTH_FAILED && out[0] == 0x5C, "MGM tampered ciphertext");
        ct[0] ^= 0x80;

        out_len = sizeof out;
        t_len = sizeof t;
        check(gostkit_mgm_seal(v->cipher, key, kl, nonce, nl - 1, aad, al, pt, pl, tl, out, &out_len,
                               t, &t_len) == GOSTKIT_STATUS_INVALID_LENGTH, "MGM bad nonce length");
        check(gostkit_mgm_seal(v->cipher, key, kl, nonce, nl, aad, al, pt, pl, 3, out, &out_len, t,
                               &t_len) == GOSTKIT_STATUS_INVALID_ARGUMENT, "MGM tag_len 3");
        out_len = sizeof out;
        check(gostkit_mgm_open(v->cipher, key, kl, nonce, nl, aad, al, ct, cl, NULL, tl, out,
                               &out_len) == GOSTKIT_STATUS_NULL_ARGUMENT, "MGM open NULL tag");
    }
    uint8_t k[32] = {0}, n[16] = {0}, d[4] = {0}, o[4], t[16];
    size_t ol = sizeof o, tl = sizeof t;
    check(gostkit_mgm_seal(3, k, 32, n, 16, NULL, 0, d, 4, 16, o, &ol, t, &tl) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT, "MGM unknown cipher");
}

static void test_kexp15(void) {
    for (size_t i = 0; i < sizeof kexp_vectors / sizeof kexp_vectors[0]; i++) {
        const struct kexp_vec *v = &kexp_vectors[i];
        uint8_t key[32], k_mac[32], k_enc[32], iv[8], exported[64], out[64];
        size_t kl = unhex(v->key, key, sizeof key), il = unhex(v->iv, iv, sizeof iv);
        size_t el = unhex(v->exported, exported, sizeof exported);
        unhex(v->k_mac, k_mac, sizeof k_mac);
        unhex(v->k_enc, k_enc, sizeof k_enc);
        size_t out_len = 0;
        check(gostkit_kexp15(v->cipher, key, kl, k_mac, k_enc, iv, il, NULL, &out_len) ==
                  GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == el, "KExp15 size query");
        out_len = sizeof out;
        check(gostkit_kexp15(v->cipher, key, kl, k_mac, k_enc, iv, il, out, &out_len) ==
                  GOSTKIT_STATUS_OK && out_len == el && memcmp(out, exported, el) == 0, v->source);
        out_len = sizeof out;
        check(gostkit_kimp15(v->cipher, exported, el, k_mac, k_enc, iv, il, out, &out_len) ==
                  GOSTKIT_STATUS_OK && out_len == kl && memcmp(out, key, kl) == 0, v->source);
        exported[el - 1] ^= 1;
        memset(out, 0x33, sizeof out);
        out_len = sizeof out;
        check(gostkit_kimp15(v->cipher, exported, el, k_mac, k_enc, iv, il, out, &out_len) ==
                  GOSTKIT_STATUS_AUTH_FAILED && out[0] == 0x33, "KImp15 tampered: AUTH_FAILED");
        out_len = sizeof out;
        check(gostkit_kexp15(v->cipher, key, kl, NULL, k_enc, iv, il, out, &out_len) ==
                  GOSTKIT_STATUS_NULL_ARGUMENT, "KExp15 NULL k_mac");
        check(gostkit_kexp15(v->cipher, key, kl, k_mac, k_enc, iv, il + 1, out, &out_len) ==
                  GOSTKIT_STATUS_INVALID_LENGTH, "KExp15 bad IV length");
        check(gostkit_kexp15(0, key, kl, k_mac, k_enc, iv, il, out, &out_len) ==
                  GOSTKIT_STATUS_INVALID_ARGUMENT, "KExp15 unknown cipher");
    }
}

/* GOST R 34.10-2012 / RFC 7091 Appendix A examples 1 and 2 and RFC 7836 Appendix A.1 VKO, copied
 * from test-vectors/gost3410.toml and vko.toml (byte strings: d and Q little-endian, signature
 * s || r big-endian, digest the byte string H with e = LE(H)). */
struct sig_vec {
    const char *source;
    gostkit_curve curve;
    const char *d, *q, *digest, *sig;
};
static const struct sig_vec sig_vectors[] = {
    {"GOST R 34.10-2012 A.1 / RFC 7091 example 1", GOSTKIT_CURVE_TEST256,
     "283bec9198ce191dee7e39491f96601bc1729ad39d35ed10beb99b78de9a927a",
     "0bd86fe5d8db89668f789b4e1dba8585c5508b45ec5b59d8906ddb70e2492b7f"
     "da77ff871a10fbdf2766d293c5d164afbb3c7b973a41c885d11d70d689b4f126",
     "e53e042b67e6ec678e2e02b12a0352ce1fc6eee0529cc088119ad872b3c1fb2d",
     "01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40"
     "41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493"},
    {"GOST R 34.10-2012 A.2 / RFC 7091 example 2", GOSTKIT_CURVE_TEST512,
     "d48da11f826729c6dfaa18fd7b6b63a214277e82d2da223356a000223b12e872"
     "20108b508e50e70e70694651e8a09130c9d75677d43609a41b24aead8a04a60b",
     "e1ef30d52c6133ddd99d1d5c41455cf7df4d8b4c925bbc69af1433d15658515a"
     "dd2146850c325c5b81c133be655aa8c4d440e7b98a8d59487b0c7696bcc55d11"
     "ecbe7736a9ec357ff2fd39931f4e114cb8cda359270ac7f0e7ff43d9419419ea"
     "61fd2ab77f5d9f63523d3b50a04f63e2a0cf51b7c13adc21560f0bd40cc9c737",
     "8c5b0772297d77c64f0c561ddbde7a405a5d7c646c97394341f4936553ee8471"
     "91c5b03570141da733c570c1f9b6091b53ab8d4d7c4a4f5c61e0c9accff35437",
     "1081b394696ffe8e6585e7a9362d26b6325f56778aadbc081c0bfbe933d52ff5"
     "823ce288e8c4f362526080df7f70ce406a6eeb1f56919cb92a9853bde73e5b4a"
     "2f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd3"
     "5492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36"},
};

static const char *vko_source = "RFC 7836 Appendix A.1 (R 50.1.113-2016), VKO 256 and 512";
static const char *vko_ukm = "1d80603c8544c727";
static const char *vko_da =
    "c990ecd972fce84ec4db022778f50fcac726f46708384b8d458304962d7147f8"
    "c2db41cef22c90b102f2968404f9b9be6d47c79692d81826b32b8daca43cb667";
static const char *vko_db =
    "48c859f7b6f11585887cc05ec6ef1390cfea739b1a18c0d4662293ef63b79e3b"
    "8014070b44918590b4b996acfea4edfbbbcccc8c06edd8bf5bda92a51392d0db";
static const char *vko_kek256 = "c9a9a77320e2cc559ed72dce6f47e2192ccea95fa648670582c054c0ef36c221";
static const char *vko_kek512 =
    "79f002a96940ce7bde3259a52e015297adaad84597a0d205b50e3e1719f97bfa"
    "7ee1d2661fa9979a5aa235b558a7e6d9f88f982dd63fc35a8ec0dd5e242d3bdf";
/* The RFC's public keys of A and B (test-vectors/vko.toml, public_key_{a,b}_bytes). */
static const char *vko_qa =
    "aab0eda4abff21208d18799fb9a8556654ba783070eba10cb9abb253ec56dcf5"
    "d3ccba6192e464e6e5bcb6dea137792f2431f6c897eb1b3c0cc14327b1adc0a7"
    "914613a3074e363aedb204d38d3563971bd8758e878c9db11403721b48002d38"
    "461f92472d40ea92f9958c0ffa4c93756401b97f89fdbe0b5e46e4a4631cdb5a";
static const char *vko_qb =
    "192fe183b9713a077253c72c8735de2ea42a3dbc66ea317838b65fa32523cd5e"
    "fca974eda7c863f4954d1147f1f2b25c395fce1c129175e876d132e94ed5a651"
    "04883b414c9b592ec4dc84826f07d0b6d9006dda176ce48c391e3f97d102e03b"
    "b598bf132a228a45f7201aba08fc524a2d77e43a362ab022ad4028f75bde3b79";
/* VKO GOST R 34.10-2001 (test-vectors/vko.toml, alg = "vko_2001"): from the PyGOST test suite,
 * tests/test_gost3410_vko.py TestVKO34102001, as that file says; RFC 4357 §5.2 prints no example,
 * so this is a cross-implementation value, not an official one. */
static const char *vko01_source = "PyGOST TestVKO34102001 (vko.toml; not an official vector)";
static const char *vko01_ukm = "5172be25f852a233";
static const char *vko01_da = "1df129e43dab345b68f6a852f4162dc69f36b2f84717d08755cc5c44150bf928";
static const char *vko01_db = "5b9356c6474f913f1e83885ea0edd5df1a43fd9d799d219093241157ac9ed473";
static const char *vko01_kek = "ee4618a0dbb10cb31777b4b86a53d9e7ef6cb3e400101410f0c0f2af46c494a6";

/* VKO between the keys d_a, d_b (hex, LE) on `curve`: both sides give `kek` (hex). */
static void check_vko_pair(gostkit_curve curve, const char *da_hex, const char *db_hex,
                           const char *ukm_hex, uint32_t alg, const char *kek_hex,
                           const char *what) {
    uint8_t da[64], db[64], ukm[64], kek[64], out[64];
    size_t dal = unhex(da_hex, da, sizeof da), dbl = unhex(db_hex, db, sizeof db);
    size_t ul = unhex(ukm_hex, ukm, sizeof ukm), kl = unhex(kek_hex, kek, sizeof kek);
    gostkit_signing_key *a = NULL, *b = NULL;
    gostkit_verifying_key *pa = NULL, *pb = NULL;
    check(gostkit_signing_key_from_raw(curve, da, dal, &a) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_from_raw(curve, db, dbl, &b) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_public(a, &pa) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_public(b, &pb) == GOSTKIT_STATUS_OK,
          what);
    size_t out_len = 0;
    check(gostkit_vko(a, pb, ukm, ul, alg, NULL, &out_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
              out_len == kl, "VKO size query");
    out_len = sizeof out;
    check(gostkit_vko(a, pb, ukm, ul, alg, out, &out_len) == GOSTKIT_STATUS_OK && out_len == kl &&
              memcmp(out, kek, kl) == 0, "VKO side A");
    out_len = sizeof out;
    check(gostkit_vko(b, pa, ukm, ul, alg, out, &out_len) == GOSTKIT_STATUS_OK && out_len == kl &&
              memcmp(out, kek, kl) == 0, "VKO side B");
    gostkit_signing_key_free(a);
    gostkit_signing_key_free(b);
    gostkit_verifying_key_free(pa);
    gostkit_verifying_key_free(pb);
}

static void test_ec(void) {
    for (size_t i = 0; i < sizeof sig_vectors / sizeof sig_vectors[0]; i++) {
        const struct sig_vec *v = &sig_vectors[i];
        uint8_t d[64], q[128], dg[64], sig[128], out[256];
        size_t dl = unhex(v->d, d, sizeof d), ql = unhex(v->q, q, sizeof q);
        size_t gl = unhex(v->digest, dg, sizeof dg), sl = unhex(v->sig, sig, sizeof sig);
        gostkit_signing_key *sk = NULL;
        gostkit_verifying_key *vk = NULL, *vk2 = NULL;
        check(gostkit_signing_key_from_raw(v->curve, d, dl, &sk) == GOSTKIT_STATUS_OK, v->source);
        check(gostkit_signing_key_public(sk, &vk) == GOSTKIT_STATUS_OK, "public key handle");
        size_t out_len = sizeof out;
        check(gostkit_verifying_key_to_raw(vk, out, &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == ql && memcmp(out, q, ql) == 0, "derived public key = example Q");
        check(gostkit_verifying_key_from_raw(v->curve, q, ql, &vk2) == GOSTKIT_STATUS_OK,
              "import example Q");
        check(gostkit_verifying_key_verify_digest(vk2, dg, gl, sig, sl) == GOSTKIT_STATUS_OK,
              "example signature verifies");
        sig[sl - 1] ^= 1;
        check(gostkit_verifying_key_verify_digest(vk2, dg, gl, sig, sl) ==
                  GOSTKIT_STATUS_BAD_SIGNATURE, "altered signature: BAD_SIGNATURE");
        check(gostkit_verifying_key_verify_digest(vk2, dg, gl, sig, sl - 1) ==
                  GOSTKIT_STATUS_BAD_SIGNATURE, "short signature: BAD_SIGNATURE");
        /* Fresh signatures (hedged nonce) verify; size query first. */
        out_len = 0;
        check(gostkit_signing_key_sign_digest(sk, dg, gl, NULL, &out_len) ==
                  GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == 2 * dl, "sign size query");
        out_len = sizeof out;
        check(gostkit_signing_key_sign_digest(sk, dg, gl, out, &out_len) == GOSTKIT_STATUS_OK &&
                  gostkit_verifying_key_verify_digest(vk, dg, gl, out, out_len) == GOSTKIT_STATUS_OK,
              "sign/verify digest");
        check(gostkit_signing_key_sign_digest(sk, dg, gl - 1, out, &out_len) ==
                  GOSTKIT_STATUS_INVALID_LENGTH, "digest of the wrong size");
        /* The private key exports as it was imported (size query first). */
        out_len = 0;
        check(gostkit_signing_key_to_raw(sk, NULL, &out_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
                  out_len == dl, "private key size query");
        out_len = dl - 1;
        check(gostkit_signing_key_to_raw(sk, out, &out_len) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
                  out_len == dl, "private key short buffer");
        out_len = sizeof out;
        check(gostkit_signing_key_to_raw(sk, out, &out_len) == GOSTKIT_STATUS_OK && out_len == dl &&
                  memcmp(out, d, dl) == 0, "private key round trip");
        out_len = 0;
        check(gostkit_verifying_key_to_raw(vk, NULL, &out_len) ==
                  GOSTKIT_STATUS_BUFFER_TOO_SMALL && out_len == ql, "public key size query");
        /* The message path on the same keys. */
        const uint8_t m[] = "message";
        out_len = sizeof out;
        check(gostkit_signing_key_sign(sk, m, sizeof m, out, &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == 2 * dl &&
                  gostkit_verifying_key_verify(vk2, m, sizeof m, out, out_len) == GOSTKIT_STATUS_OK,
              "sign/verify message with the example key");
        out[0] ^= 0x80;
        check(gostkit_verifying_key_verify(vk2, m, sizeof m, out, out_len) ==
                  GOSTKIT_STATUS_BAD_SIGNATURE, "flipped bit: BAD_SIGNATURE");
        gostkit_signing_key_free(sk);
        gostkit_verifying_key_free(vk);
        gostkit_verifying_key_free(vk2);
    }

    /* VKO: both sides agree with the RFC's KEK, for 256- and 512-bit outputs. */
    uint8_t da[64], db[64], ukm[8], kek[64], out[64];
    size_t dal = unhex(vko_da, da, sizeof da), dbl = unhex(vko_db, db, sizeof db);
    size_t ul = unhex(vko_ukm, ukm, sizeof ukm);
    gostkit_signing_key *a = NULL, *b = NULL;
    gostkit_verifying_key *pa = NULL, *pb = NULL;
    check(gostkit_signing_key_from_raw(GOSTKIT_CURVE_TC26512_A, da, dal, &a) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_from_raw(GOSTKIT_CURVE_TC26512_A, db, dbl, &b) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_public(a, &pa) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_public(b, &pb) == GOSTKIT_STATUS_OK,
          "VKO keys");
    size_t kl = unhex(vko_kek256, kek, sizeof kek), out_len = sizeof out;
    check(gostkit_vko(a, pb, ukm, ul, GOSTKIT_VKO_ALG_GOST2012_256, out, &out_len) ==
              GOSTKIT_STATUS_OK && out_len == kl && memcmp(out, kek, kl) == 0, vko_source);
    out_len = sizeof out;
    check(gostkit_vko(b, pa, ukm, ul, GOSTKIT_VKO_ALG_GOST2012_256, out, &out_len) ==
              GOSTKIT_STATUS_OK && out_len == kl && memcmp(out, kek, kl) == 0, "VKO 256, side B");
    kl = unhex(vko_kek512, kek, sizeof kek);
    out_len = sizeof out;
    check(gostkit_vko(a, pb, ukm, ul, GOSTKIT_VKO_ALG_GOST2012_512, out, &out_len) ==
              GOSTKIT_STATUS_OK && out_len == kl && memcmp(out, kek, kl) == 0, "VKO 512");
    out_len = sizeof out;
    check(gostkit_vko(b, pa, ukm, ul, GOSTKIT_VKO_ALG_GOST2012_512, out, &out_len) ==
              GOSTKIT_STATUS_OK && out_len == kl && memcmp(out, kek, kl) == 0, "VKO 512, side B");
    /* The derived public keys are the RFC's. */
    uint8_t qx[128], qgot[128];
    size_t qxl = unhex(vko_qa, qx, sizeof qx), ql2 = sizeof qgot;
    check(gostkit_verifying_key_to_raw(pa, qgot, &ql2) == GOSTKIT_STATUS_OK && ql2 == qxl &&
              memcmp(qgot, qx, qxl) == 0, "VKO public key A = RFC 7836 A.1");
    qxl = unhex(vko_qb, qx, sizeof qx);
    ql2 = sizeof qgot;
    check(gostkit_verifying_key_to_raw(pb, qgot, &ql2) == GOSTKIT_STATUS_OK && ql2 == qxl &&
              memcmp(qgot, qx, qxl) == 0, "VKO public key B = RFC 7836 A.1");
    /* Imported RFC public key agrees too. */
    gostkit_verifying_key *qbi = NULL;
    kl = unhex(vko_kek256, kek, sizeof kek);
    out_len = sizeof out;
    check(gostkit_verifying_key_from_raw(GOSTKIT_CURVE_TC26512_A, qx, qxl, &qbi) ==
                  GOSTKIT_STATUS_OK &&
              gostkit_vko(a, qbi, ukm, ul, GOSTKIT_VKO_ALG_GOST2012_256, out, &out_len) ==
                  GOSTKIT_STATUS_OK && out_len == kl && memcmp(out, kek, kl) == 0,
          "VKO 256 with the imported RFC key B");
    gostkit_verifying_key_free(qbi);
    out_len = sizeof out;
    check(gostkit_vko(a, pb, ukm, ul, 99, out, &out_len) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "VKO unknown variant");
    out_len = sizeof out;
    check(gostkit_vko(a, pb, ukm, ul, GOSTKIT_VKO_ALG_GOST2001, out, &out_len) ==
              GOSTKIT_STATUS_UNSUPPORTED, "VKO 2001 on a 512-bit curve: UNSUPPORTED");
    out_len = sizeof out;
    check(gostkit_vko(a, pb, ukm, 0, GOSTKIT_VKO_ALG_GOST2012_256, out, &out_len) ==
              GOSTKIT_STATUS_INVALID_LENGTH, "VKO empty UKM: INVALID_LENGTH");
    out_len = sizeof out;
    check(gostkit_vko(a, NULL, ukm, ul, GOSTKIT_VKO_ALG_GOST2012_256, out, &out_len) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "VKO NULL peer");
    check(gostkit_vko(a, pb, ukm, ul, GOSTKIT_VKO_ALG_GOST2012_256, out, NULL) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "VKO NULL out_len");
    gostkit_signing_key_free(a);
    gostkit_signing_key_free(b);
    gostkit_verifying_key_free(pa);
    gostkit_verifying_key_free(pb);
    check_vko_pair(GOSTKIT_CURVE_TC26512_A, vko_da, vko_db, vko_ukm, GOSTKIT_VKO_ALG_GOST2012_512,
                   vko_kek512, vko_source);
    check_vko_pair(GOSTKIT_CURVE_TEST256, vko01_da, vko01_db, vko01_ukm, GOSTKIT_VKO_ALG_GOST2001,
                   vko01_kek, vko01_source);

    /* Generate (with and without extra entropy) → sign a message → verify; PKCS#8 and SPKI
     * round trips. */
    const gostkit_curve curves[] = {GOSTKIT_CURVE_CRYPTOPRO_A, GOSTKIT_CURVE_TC26256_A,
                                    GOSTKIT_CURVE_TC26512_C};
    const uint8_t msg[] = "statement of settlements with the budget";
    const uint8_t entropy[] = "keystroke timings";
    for (size_t i = 0; i < 3; i++) {
        gostkit_signing_key *k = NULL, *k2 = NULL;
        gostkit_verifying_key *p = NULL, *p2 = NULL;
        uint8_t sig[128], der[512];
        check(gostkit_signing_key_generate(curves[i], i ? entropy : NULL, i ? sizeof entropy : 0,
                                           &k) == GOSTKIT_STATUS_OK, "generate");
        check(gostkit_signing_key_public(k, &p) == GOSTKIT_STATUS_OK, "public");
        size_t sl = sizeof sig;
        check(gostkit_signing_key_sign(k, msg, sizeof msg, sig, &sl) == GOSTKIT_STATUS_OK &&
                  gostkit_verifying_key_verify(p, msg, sizeof msg, sig, sl) == GOSTKIT_STATUS_OK,
              "sign/verify message");
        check(gostkit_verifying_key_verify(p, msg, sizeof msg - 1, sig, sl) ==
                  GOSTKIT_STATUS_BAD_SIGNATURE, "other message: BAD_SIGNATURE");
        size_t dl = sizeof der;
        check(gostkit_signing_key_to_pkcs8_der(k, der, &dl) == GOSTKIT_STATUS_OK &&
                  gostkit_signing_key_from_pkcs8(der, dl, &k2) == GOSTKIT_STATUS_OK,
              "PKCS#8 round trip");
        dl = sizeof der;
        check(gostkit_verifying_key_to_spki_der(p, der, &dl) == GOSTKIT_STATUS_OK &&
                  gostkit_verifying_key_from_spki(der, dl, &p2) == GOSTKIT_STATUS_OK &&
                  gostkit_verifying_key_verify(p2, msg, sizeof msg, sig, sl) == GOSTKIT_STATUS_OK,
              "SPKI round trip");
        sl = sizeof sig;
        check(gostkit_signing_key_sign(k2, msg, sizeof msg, sig, &sl) == GOSTKIT_STATUS_OK &&
                  gostkit_verifying_key_verify(p, msg, sizeof msg, sig, sl) == GOSTKIT_STATUS_OK,
              "PKCS#8-imported key signs");
        gostkit_signing_key_free(k);
        gostkit_signing_key_free(k2);
        gostkit_verifying_key_free(p);
        gostkit_verifying_key_free(p2);
    }

    /* Error paths. */
    gostkit_signing_key *k = NULL;
    uint8_t zero[32] = {0}, junk[16] = {0x30, 0x03, 0x02, 0x01, 0x00};
    check(gostkit_signing_key_generate(99, NULL, 0, &k) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "unknown curve");
    check(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, NULL, 0, NULL) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "NULL out handle");
    check(gostkit_signing_key_from_raw(GOSTKIT_CURVE_TC26256_A, zero, 31, &k) ==
              GOSTKIT_STATUS_INVALID_LENGTH, "wrong key length");
    check(gostkit_signing_key_from_raw(GOSTKIT_CURVE_TC26256_A, zero, 32, &k) ==
              GOSTKIT_STATUS_INVALID_KEY, "d = 0: INVALID_KEY");
    check(gostkit_signing_key_from_raw(GOSTKIT_CURVE_TC26256_A, NULL, 32, &k) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "NULL key bytes");
    uint8_t big[32];
    memset(big, 0xff, sizeof big);
    check(gostkit_signing_key_from_raw(GOSTKIT_CURVE_TC26256_A, big, 32, &k) ==
              GOSTKIT_STATUS_INVALID_KEY, "d >= q: INVALID_KEY");
    check(gostkit_signing_key_from_raw(0, big, 32, &k) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "from_raw unknown curve");
    check(gostkit_signing_key_from_raw(GOSTKIT_CURVE_TC26512_A, big, 32, &k) ==
              GOSTKIT_STATUS_INVALID_LENGTH, "256-bit d on a 512-bit curve: INVALID_LENGTH");
    check(gostkit_signing_key_from_pkcs8(junk, sizeof junk, &k) == GOSTKIT_STATUS_MALFORMED,
          "junk PKCS#8: MALFORMED");
    uint8_t off[64] = {1};
    gostkit_verifying_key *p = NULL;
    check(gostkit_verifying_key_from_raw(GOSTKIT_CURVE_TC26256_A, off, 64, &p) ==
              GOSTKIT_STATUS_INVALID_KEY, "point off the curve: INVALID_KEY");
    check(gostkit_verifying_key_from_raw(GOSTKIT_CURVE_TC26256_A, off, 63, &p) ==
              GOSTKIT_STATUS_INVALID_LENGTH, "public key length: INVALID_LENGTH");
    check(gostkit_verifying_key_from_raw(1000, off, 64, &p) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "public key unknown curve");
    check(gostkit_verifying_key_from_raw(GOSTKIT_CURVE_TC26256_A, off, 64, NULL) ==
              GOSTKIT_STATUS_NULL_ARGUMENT, "public key NULL out");
    check(gostkit_verifying_key_verify(NULL, off, 1, off, 64) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "verify NULL key");
    check(gostkit_signing_key_public(NULL, &p) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "public of NULL key");
    check(k == NULL && p == NULL, "handles untouched on failure");
    out_len = 8;
    check(gostkit_signing_key_to_raw(NULL, out, &out_len) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "NULL key handle");
    gostkit_signing_key_free(NULL);
    gostkit_verifying_key_free(NULL);
    check(1, "free(NULL) is a no-op");
}

/* A self-signed certificate made by OpenSSL + gost-engine (tc26-256-A key, serial 0x1234,
 * CN=C test root, O=gostkit, valid 2026-11-22T11:46:17Z .. 2046-11-17T11:46:17Z). */
static const char peer_root_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBOjCB5gICEjQwDAYIKoUDBwEBAwIFADAoMRQwEgYDVQQDDAtDIHRlc3Qgcm9v\n"
    "dDEQMA4GA1UECgwHZ29zdGtpdDAeFw0yNjExMjIxMTQ2MTdaFw00NjExMTcxMTQ2\n"
    "MTdaMCgxFDASBgNVBAMMC0MgdGVzdCByb290MRAwDgYDVQQKDAdnb3N0a2l0MF4w\n"
    "FwYIKoUDBwEBAQEwCwYJKoUDBwECAQEBA0MABEA4LEpOLyKVZUA121PQIDOSjCEg\n"
    "OYr/xGWU8VeGOz6a8dLSs4U33SYknT43rcBp3FuQT2DTp23Jel0PUOyYweGNMAwG\n"
    "CCqFAwcBAQMCBQADQQAn0CuCfxLu7Dm8u/JW7A3HCeT6QzrZIfaX4VZuVNB1HinR\n"
    "fnZkh1JSwx3dVjGnTyBUoBTNV6UY+IPdqGNcKhkb\n"
    "-----END CERTIFICATE-----\n";

static void test_cert(void) {
    gostkit_cert *c = NULL, *bad = NULL;
    uint8_t der[1024], buf[512];
    size_t der_len = sizeof der, n;
    check(gostkit_cert_parse((const uint8_t *)peer_root_pem, strlen(peer_root_pem), &c) ==
              GOSTKIT_STATUS_OK, "cert: parse PEM");
    if (!c) return;
    check(gostkit_cert_der(c, der, &der_len) == GOSTKIT_STATUS_OK && der[0] == 0x30 &&
              der_len == 318, "cert: DER out");
    n = 0;
    check(gostkit_cert_subject(c, NULL, &n) == GOSTKIT_STATUS_BUFFER_TOO_SMALL && n > 1,
          "cert: subject size query");
    n = sizeof buf;
    check(gostkit_cert_subject(c, buf, &n) == GOSTKIT_STATUS_OK && buf[n - 1] == 0 &&
              strstr((const char *)buf, "CN=C test root") != NULL &&
              strstr((const char *)buf, "O=gostkit") != NULL, "cert: subject");
    n = sizeof buf;
    check(gostkit_cert_issuer(c, buf, &n) == GOSTKIT_STATUS_OK &&
              strstr((const char *)buf, "CN=C test root") != NULL, "cert: issuer");
    n = sizeof buf;
    check(gostkit_cert_serial(c, buf, &n) == GOSTKIT_STATUS_OK && n == 2 && buf[0] == 0x12 &&
              buf[1] == 0x34, "cert: serial");
    int64_t nb = 0, na = 0;
    check(gostkit_cert_validity(c, &nb, &na) == GOSTKIT_STATUS_OK && nb == 1795347977LL &&
              na == 2426067977LL, "cert: validity");
    check(gostkit_cert_validity(c, NULL, &na) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "cert: validity NULL");
    check(gostkit_cert_verify_signed_by(c, c) == GOSTKIT_STATUS_OK, "cert: self-signature");
    gostkit_verifying_key *vk = NULL;
    check(gostkit_cert_public_key(c, &vk) == GOSTKIT_STATUS_OK && vk != NULL, "cert: public key");
    gostkit_verifying_key_free(vk);
    /* DER input, with one bit of the signature flipped: parses, signature fails. */
    der[der_len - 3] ^= 1;
    check(gostkit_cert_parse(der, der_len, &bad) == GOSTKIT_STATUS_OK, "cert: parse DER");
    check(gostkit_cert_verify_signed_by(bad, c) == GOSTKIT_STATUS_BAD_SIGNATURE,
          "cert: flipped signature bit");
    gostkit_cert_free(bad);
    bad = NULL;
    check(gostkit_cert_parse(der, der_len - 1, &bad) == GOSTKIT_STATUS_MALFORMED && bad == NULL,
          "cert: truncated DER");
    check(gostkit_cert_parse(NULL, 5, &bad) == GOSTKIT_STATUS_NULL_ARGUMENT, "cert: NULL data");
    check(gostkit_cert_verify_signed_by(c, NULL) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "cert: NULL issuer");
    /* A shared handle outlives the first one: the certificate is reference-counted. */
    gostkit_cert *c2 = NULL;
    check(gostkit_cert_share(c, &c2) == GOSTKIT_STATUS_OK && c2 != NULL && c2 != c,
          "cert: share");
    check(gostkit_cert_share(c, NULL) == GOSTKIT_STATUS_NULL_ARGUMENT, "cert: share NULL out");
    gostkit_cert_free(c);
    uint8_t der2[1024];
    size_t der2_len = sizeof der2;
    check(gostkit_cert_der(c2, der2, &der2_len) == GOSTKIT_STATUS_OK && der2_len == der_len &&
              memcmp(der2, der, der_len - 3) == 0, "cert: shared handle after the first is freed");
    gostkit_cert_free(c2);
    gostkit_cert_free(NULL);
}

/* Memory source and sink for the streaming CMS callbacks. */
struct mem_src { const uint8_t *p; size_t len, pos; };
struct mem_sink { uint8_t *p; size_t cap, len; };
static ptrdiff_t mem_read(void *ctx, uint8_t *buf, size_t len) {
    struct mem_src *s = ctx;
    size_t n = s->len - s->pos < len ? s->len - s->pos : len;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (ptrdiff_t)n;
}
static int32_t mem_write(void *ctx, const uint8_t *buf, size_t len) {
    struct mem_sink *s = ctx;
    if (s->len + len > s->cap) return -1;
    memcpy(s->p + s->len, buf, len);
    s->len += len;
    return 0;
}

/* DER header at p: returns its length and sets *len to the content length (short or long form). */
static size_t der_hdr(const uint8_t *p, size_t *len) {
    if (p[1] < 0x80) { *len = p[1]; return 2; }
    size_t n = p[1] & 0x7f, v = 0;
    for (size_t i = 0; i < n; i++) v = (v << 8) | p[2 + i];
    *len = v;
    return 2 + n;
}
static size_t der_put_hdr(uint8_t *o, uint8_t tag, size_t len) {
    o[0] = tag;
    if (len < 0x80) { o[1] = (uint8_t)len; return 2; }
    if (len < 0x100) { o[1] = 0x81; o[2] = (uint8_t)len; return 3; }
    o[1] = 0x82; o[2] = (uint8_t)(len >> 8); o[3] = (uint8_t)len;
    return 4;
}
/* The DER ContentInfo { EnvelopedData } `in` without its unprotectedAttrs (the OMAC MAC
 * attribute): what an attacker stripping the MAC sends. Returns the new length (0 if absent) and
 * sets *cut to where the attributes began in `in`. */
static size_t strip_unprotected_attrs(const uint8_t *in, uint8_t *out, size_t *cut) {
    size_t l1, l2, l3, l, h1 = der_hdr(in, &l1);
    const uint8_t *oid = in + h1;
    size_t oid_len = 2 + oid[1];
    const uint8_t *a0 = oid + oid_len;
    size_t h2 = der_hdr(a0, &l2);
    const uint8_t *env = a0 + h2;
    size_t h3 = der_hdr(env, &l3);
    const uint8_t *c = env + h3, *end = env + h3 + l3;
    while (c < end && c[0] != 0xa1) c += der_hdr(c, &l) + l;
    if (c >= end) return 0;
    *cut = (size_t)(c - in);
    size_t body3 = (size_t)(c - (env + h3));
    uint8_t h[3][4];
    size_t n3 = der_put_hdr(h[2], 0x30, body3);
    size_t n2 = der_put_hdr(h[1], 0xa0, n3 + body3);
    size_t n1 = der_put_hdr(h[0], 0x30, oid_len + n2 + n3 + body3);
    size_t o = 0;
    memcpy(out + o, h[0], n1); o += n1;
    memcpy(out + o, oid, oid_len); o += oid_len;
    memcpy(out + o, h[1], n2); o += n2;
    memcpy(out + o, h[2], n3); o += n3;
    memcpy(out + o, env + h3, body3); o += body3;
    return o;
}

/* PKI and CMS through the header: issuing, identifiers, thumbprints, store lookups, chain
 * verification failures with the index of the certificate concerned, CMS sign/verify (one-shot
 * and streaming detached), encrypt/decrypt and their failure statuses. */
static void test_pki_cms(void) {
    gostkit_signing_key *rk = NULL, *lk = NULL, *ok = NULL;
    gostkit_cert *root = NULL, *leaf = NULL, *other = NULL, *found = NULL;
    gostkit_store *store = NULL;
    static uint8_t buf[8192], msg[8192], out[8192];
    size_t n, msg_len, out_len;
    check(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26512_C, NULL, 0, &rk) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_CRYPTOPRO_A, NULL, 0, &lk) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, NULL, 0, &ok) == GOSTKIT_STATUS_OK,
          "pki: keys");
    check(gostkit_cert_issue(NULL, 0, "/CN=C Root", NULL, rk, 30, GOSTKIT_ISSUE_CA, 0, &root) ==
              GOSTKIT_STATUS_OK, "pki: self-signed root");
    check(gostkit_cert_issue(NULL, 0, "/CN=Other", NULL, ok, 30, 0, -1, &other) == GOSTKIT_STATUS_OK,
          "pki: unrelated self-signed");
    n = 0;
    check(gostkit_csr_create(lk, "/CN=Leaf/INN=007701234560/OGRN=1027700132195", NULL, &n) ==
              GOSTKIT_STATUS_BUFFER_TOO_SMALL && n > 100, "pki: CSR size query");
    n = sizeof buf;
    check(gostkit_csr_create(lk, "/CN=Leaf/INN=007701234560/OGRN=1027700132195", buf, &n) ==
              GOSTKIT_STATUS_OK && memcmp(buf, "-----BEGIN CERTIFICATE REQUEST-----", 35) == 0,
          "pki: CSR");
    size_t bad_n = sizeof buf;
    check(gostkit_csr_create(lk, "/CN=Leaf/INN=12", out, &bad_n) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "pki: CSR with a bad INN");
    check(gostkit_cert_issue(buf, n, NULL, root, rk, 10, 0, -1, &leaf) == GOSTKIT_STATUS_OK,
          "pki: issue from CSR");
    buf[n - 40] ^= 1;
    gostkit_cert *bad = NULL;
    gostkit_status st = gostkit_cert_issue(buf, n, NULL, root, rk, 10, 0, -1, &bad);
    check(st != GOSTKIT_STATUS_OK && bad == NULL, "pki: tampered CSR refused");
    check(gostkit_cert_issue(NULL, 0, "/CN=x", root, ok, 10, 0, -1, &bad) != GOSTKIT_STATUS_OK,
          "pki: CA key not the CA certificate's");
    check(gostkit_cert_matches_key(leaf, lk) == GOSTKIT_STATUS_OK &&
              gostkit_cert_matches_key(leaf, rk) == GOSTKIT_STATUS_KEY_MISMATCH, "pki: key matching");
    char id[32];
    n = sizeof id;
    check(gostkit_cert_subject_id(leaf, GOSTKIT_RU_ID_INNLE, (uint8_t *)id, &n) == GOSTKIT_STATUS_OK &&
              strcmp(id, "7701234560") == 0, "pki: legacy 00-padded INN read as INNLE");
    n = sizeof id;
    check(gostkit_cert_subject_id(leaf, GOSTKIT_RU_ID_OGRN, (uint8_t *)id, &n) == GOSTKIT_STATUS_OK &&
              strcmp(id, "1027700132195") == 0, "pki: OGRN");
    n = sizeof id;
    check(gostkit_cert_subject_id(leaf, GOSTKIT_RU_ID_SNILS, (uint8_t *)id, &n) == GOSTKIT_STATUS_NOT_FOUND,
          "pki: absent SNILS");
    check(gostkit_cert_subject_id(leaf, 99, (uint8_t *)id, &n) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "pki: unknown identifier");
    uint8_t tp[32];
    n = sizeof tp;
    check(gostkit_cert_thumbprint_sha1(leaf, tp, &n) == GOSTKIT_STATUS_OK && n == 20, "pki: SHA-1 thumbprint");

    /* Store and chain verification. */
    check(gostkit_store_new(&store) == GOSTKIT_STATUS_OK, "store: new");
    n = sizeof buf;
    gostkit_cert_der(root, buf, &n);
    check(gostkit_store_add(store, buf, n, GOSTKIT_STORE_ROLE_TRUSTED_ROOT) == GOSTKIT_STATUS_OK,
          "store: add root");
    check(gostkit_store_add(store, buf, n, 9) == GOSTKIT_STATUS_INVALID_ARGUMENT, "store: bad role");
    check(gostkit_store_add(store, buf, n - 1, GOSTKIT_STORE_ROLE_TRUSTED_ROOT) == GOSTKIT_STATUS_MALFORMED,
          "store: truncated certificate");
    n = sizeof buf;
    gostkit_cert_der(leaf, buf, &n);
    check(gostkit_store_add(store, buf, n, GOSTKIT_STORE_ROLE_PERSONAL) == GOSTKIT_STATUS_OK,
          "store: add personal");
    check(gostkit_store_find_by_thumbprint(store, tp, 20, &found) == GOSTKIT_STATUS_OK && found,
          "store: find by thumbprint");
    gostkit_cert_free(found);
    found = NULL;
    check(gostkit_store_find_by_thumbprint(store, tp, 19, &found) == GOSTKIT_STATUS_NOT_FOUND,
          "store: unknown thumbprint");
    size_t idx = 77;
    check(gostkit_store_verify_chain(store, leaf, 0, GOSTKIT_REVOCATION_WHEN_AVAILABLE, &idx) ==
              GOSTKIT_STATUS_OK, "chain: valid now");
    check(gostkit_store_verify_chain(store, leaf, 4102444800LL /* 2100 */, GOSTKIT_REVOCATION_OFF,
                                     &idx) == GOSTKIT_STATUS_CERT_EXPIRED && idx == 0,
          "chain: expired leaf, index 0");
    check(gostkit_store_verify_chain(store, leaf, 0, GOSTKIT_REVOCATION_REQUIRED, &idx) ==
              GOSTKIT_STATUS_CRL_MISSING && idx == 0, "chain: CRL required");
    check(gostkit_store_verify_chain(store, other, 0, GOSTKIT_REVOCATION_OFF, &idx) ==
              GOSTKIT_STATUS_UNTRUSTED_ROOT, "chain: untrusted self-signed");
    check(gostkit_store_verify_chain(store, leaf, 0, 7, NULL) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "chain: bad revocation policy");

    /* CMS SignedData. */
    const uint8_t doc[] = "agreement text";
    msg_len = sizeof msg;
    check(gostkit_cms_sign(leaf, lk, doc, sizeof doc, 0, msg, &msg_len) == GOSTKIT_STATUS_OK,
          "cms: sign attached");
    /* A shared key handle signs like the original and outlives it. */
    gostkit_signing_key *lk2 = NULL;
    check(gostkit_signing_key_share(lk, &lk2) == GOSTKIT_STATUS_OK && lk2 != NULL, "key: share");
    check(gostkit_signing_key_share(lk, NULL) == GOSTKIT_STATUS_NULL_ARGUMENT, "key: share NULL out");
    {
        uint8_t m2[8192];
        size_t m2_len = sizeof m2;
        check(gostkit_cms_sign(leaf, lk2, doc, sizeof doc, 0, m2, &m2_len) == GOSTKIT_STATUS_OK,
              "cms: sign with a shared key handle");
    }
    gostkit_signing_key_free(lk2);
    uint32_t sts[2];
    n = 2;
    check(gostkit_cms_verify(msg, msg_len, NULL, 0, store, 0, GOSTKIT_REVOCATION_WHEN_AVAILABLE, sts,
                             &n) == GOSTKIT_STATUS_OK && n == 1 && sts[0] == GOSTKIT_STATUS_OK,
          "cms: verify attached");
    /* The chain is validated at the caller's time: far in the future the leaf has expired,
     * whatever its signingTime says; only GOSTKIT_AT_CLAIMED_SIGNING_TIME uses the claim. */
    n = 2;
    check(gostkit_cms_verify(msg, msg_len, NULL, 0, store, 4102444800 /* 2100-01-01 */,
                             GOSTKIT_REVOCATION_WHEN_AVAILABLE, sts, &n) == GOSTKIT_STATUS_CERT_EXPIRED &&
              sts[0] == GOSTKIT_STATUS_CERT_EXPIRED,
          "cms: verify at a caller's time after expiry");
    n = 2;
    check(gostkit_cms_verify(msg, msg_len, NULL, 0, store, GOSTKIT_AT_CLAIMED_SIGNING_TIME,
                             GOSTKIT_REVOCATION_WHEN_AVAILABLE, sts, &n) == GOSTKIT_STATUS_OK &&
              sts[0] == GOSTKIT_STATUS_OK,
          "cms: verify at the claimed signing time");
    n = 0;
    check(gostkit_cms_verify(msg, msg_len, NULL, 0, store, 0, 1, NULL, &n) ==
              GOSTKIT_STATUS_BUFFER_TOO_SMALL && n == 1, "cms: verify size query");
    out_len = sizeof out;
    check(gostkit_cms_signed_content(msg, msg_len, out, &out_len) == GOSTKIT_STATUS_OK &&
              out_len == sizeof doc && memcmp(out, doc, sizeof doc) == 0, "cms: content");
    check(gostkit_cms_sign(leaf, rk, doc, sizeof doc, 0, msg, &msg_len) == GOSTKIT_STATUS_KEY_MISMATCH,
          "cms: sign with a foreign key");
    msg_len = sizeof msg;
    check(gostkit_cms_sign(leaf, lk, doc, sizeof doc, GOSTKIT_CMS_DETACHED | GOSTKIT_CMS_NO_CERTS,
                           msg, &msg_len) == GOSTKIT_STATUS_OK, "cms: sign detached, no certs");
    n = 2;
    check(gostkit_cms_verify(msg, msg_len, doc, sizeof doc, store, 0, 1, sts, &n) == GOSTKIT_STATUS_OK,
          "cms: detached signer found in the store");
    n = 2;
    check(gostkit_cms_verify(msg, msg_len, doc, sizeof doc - 1, store, 0, 1, sts, &n) ==
              GOSTKIT_STATUS_DIGEST_MISMATCH && sts[0] == GOSTKIT_STATUS_DIGEST_MISMATCH,
          "cms: other content");
    gostkit_store *empty = NULL;
    gostkit_store_new(&empty);
    n = 2;
    check(gostkit_cms_verify(msg, msg_len, doc, sizeof doc, empty, 0, 1, sts, &n) ==
              GOSTKIT_STATUS_SIGNER_NOT_FOUND, "cms: signer certificate not found");
    gostkit_store_free(empty);
    /* Streaming detached signature, fed in pieces; verifies against the whole content. */
    gostkit_cms_sign_ctx *ctx = NULL;
    check(gostkit_cms_sign_ctx_new(leaf, lk, 0, &ctx) == GOSTKIT_STATUS_OK, "cms: sign ctx");
    gostkit_cms_sign_ctx_update(ctx, doc, 5);
    gostkit_cms_sign_ctx_update(ctx, doc + 5, sizeof doc - 5);
    n = 0;
    check(gostkit_cms_sign_ctx_finish(ctx, NULL, &n) == GOSTKIT_STATUS_BUFFER_TOO_SMALL, "cms: ctx size");
    msg_len = sizeof msg;
    check(gostkit_cms_sign_ctx_finish(ctx, msg, &msg_len) == GOSTKIT_STATUS_OK, "cms: ctx finish");
    check(gostkit_cms_sign_ctx_update(ctx, doc, 1) == GOSTKIT_STATUS_INVALID_ARGUMENT, "cms: ctx finished");
    gostkit_cms_sign_ctx_free(ctx);
    gostkit_cms_sign_ctx_free(NULL);
    n = 2;
    check(gostkit_cms_verify(msg, msg_len, doc, sizeof doc, store, 0, 1, sts, &n) == GOSTKIT_STATUS_OK,
          "cms: streamed signature verifies");

    /* CMS EnvelopedData with each cipher. */
    const gostkit_cert *rcpt[2] = {leaf, other};
    for (uint32_t c = 1; c <= 5; c++) {
        msg_len = sizeof msg;
        check(gostkit_cms_encrypt(rcpt, 2, c, doc, sizeof doc, msg, &msg_len) == GOSTKIT_STATUS_OK,
              "cms: encrypt");
        out_len = sizeof out;
        check(gostkit_cms_decrypt(other, ok, msg, msg_len, out, &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == sizeof doc && memcmp(out, doc, out_len) == 0, "cms: decrypt");
    }
    check(gostkit_cms_encrypt(rcpt, 2, 0, doc, sizeof doc, msg, &msg_len) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "cms: unknown cipher");
    msg_len = sizeof msg;
    gostkit_cms_encrypt(rcpt, 1, GOSTKIT_CMS_CIPHER_KUZNYECHIK_CTR_ACPKM_OMAC, doc, sizeof doc, msg, &msg_len);
    out_len = sizeof out;
    check(gostkit_cms_decrypt(other, ok, msg, msg_len, out, &out_len) == GOSTKIT_STATUS_NOT_A_RECIPIENT,
          "cms: not a recipient");
    check(gostkit_cms_decrypt(leaf, ok, msg, msg_len, out, &out_len) == GOSTKIT_STATUS_KEY_MISMATCH,
          "cms: key not the certificate's");
    msg[msg_len - 40] ^= 1;
    out_len = sizeof out;
    check(gostkit_cms_decrypt(leaf, lk, msg, msg_len, out, &out_len) == GOSTKIT_STATUS_AUTH_FAILED,
          "cms: tampered ciphertext fails the MAC");
    check(gostkit_cms_decrypt(leaf, lk, msg, 10, out, &out_len) == GOSTKIT_STATUS_MALFORMED,
          "cms: truncated message");

    /* Streaming encryption/decryption through callbacks, and incremental detached verification. */
    {
        static uint8_t big[100000], enc[110000], dec[100000];
        for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7);
        struct mem_src src = {big, sizeof big, 0};
        struct mem_sink sink = {enc, sizeof enc, 0};
        const gostkit_cert *one[1] = {leaf};
        check(gostkit_cms_encrypt_stream(one, 1, GOSTKIT_CMS_CIPHER_MAGMA_CTR_ACPKM_OMAC, sizeof big, mem_read,
                                         &src, mem_write, &sink) == GOSTKIT_STATUS_OK, "cms: encrypt stream");
        struct mem_src src2 = {enc, sink.len, 0};
        struct mem_sink out2 = {dec, sizeof dec, 0};
        check(gostkit_cms_decrypt_stream(leaf, lk, mem_read, &src2, mem_write, &out2) == GOSTKIT_STATUS_OK &&
                  out2.len == sizeof big && memcmp(dec, big, sizeof big) == 0, "cms: decrypt stream");
        enc[sink.len - 30] ^= 1; /* the encrypted MAC */
        struct mem_src src3 = {enc, sink.len, 0};
        struct mem_sink out3 = {dec, sizeof dec, 0};
        check(gostkit_cms_decrypt_stream(leaf, lk, mem_read, &src3, mem_write, &out3) == GOSTKIT_STATUS_AUTH_FAILED,
              "cms: decrypt stream, tampered MAC");
        check(gostkit_cms_decrypt_stream(leaf, lk, NULL, &src3, mem_write, &out3) == GOSTKIT_STATUS_NULL_ARGUMENT,
              "cms: decrypt stream, NULL callback");

        /* A CTR-ACPKM-OMAC message whose MAC attribute was stripped is an authentication failure,
           found before any plaintext is handed out; so is one cut right after its ciphertext. */
        static uint8_t om[8192], strp[8192], plain[8192];
        const uint32_t omac[2] = {GOSTKIT_CMS_CIPHER_KUZNYECHIK_CTR_ACPKM_OMAC, GOSTKIT_CMS_CIPHER_MAGMA_CTR_ACPKM_OMAC};
        for (int k = 0; k < 2; k++) {
            size_t om_len = sizeof om;
            check(gostkit_cms_encrypt(one, 1, omac[k], big, 3000, om, &om_len) == GOSTKIT_STATUS_OK,
                  "cms: encrypt (OMAC)");
            size_t cut = 0, strp_len = strip_unprotected_attrs(om, strp, &cut);
            check(strp_len > 0 && strp_len < om_len, "cms: MAC attribute found and stripped");
            size_t plain_len = sizeof plain;
            check(gostkit_cms_decrypt(leaf, lk, strp, strp_len, plain, &plain_len) == GOSTKIT_STATUS_AUTH_FAILED,
                  "cms: one-shot decrypt of a message without its MAC");
            struct mem_src s4 = {strp, strp_len, 0};
            struct mem_sink o4 = {plain, sizeof plain, 0};
            check(gostkit_cms_decrypt_stream(leaf, lk, mem_read, &s4, mem_write, &o4) == GOSTKIT_STATUS_AUTH_FAILED &&
                      o4.len == 0, "cms: decrypt stream without the MAC: AUTH_FAILED, nothing written");
            /* The original message cut where the MAC attribute starts (its lengths still promise it). */
            struct mem_src s5 = {om, cut, 0};
            struct mem_sink o5 = {plain, sizeof plain, 0};
            gostkit_status st5 = gostkit_cms_decrypt_stream(leaf, lk, mem_read, &s5, mem_write, &o5);
            /* Plaintext may have been written as it streamed; the status says to discard it. */
            check(st5 == GOSTKIT_STATUS_AUTH_FAILED && gostkit_status_is_check_failure(st5),
                  "cms: decrypt stream of a message cut after its ciphertext: AUTH_FAILED");
        }

        msg_len = sizeof msg;
        gostkit_cms_sign(leaf, lk, big, sizeof big, GOSTKIT_CMS_DETACHED, msg, &msg_len);
        gostkit_cms_verify_ctx *vctx = NULL;
        check(gostkit_cms_verify_ctx_new(msg, msg_len, &vctx) == GOSTKIT_STATUS_OK, "cms: verify ctx");
        for (size_t off = 0; off < sizeof big; off += 30000)
            gostkit_cms_verify_ctx_update(vctx, big + off, sizeof big - off < 30000 ? sizeof big - off : 30000);
        n = 2;
        check(gostkit_cms_verify_ctx_finish(vctx, store, 0, 1, sts, &n) == GOSTKIT_STATUS_OK && n == 1 &&
                  sts[0] == GOSTKIT_STATUS_OK, "cms: incremental verify");
        gostkit_cms_verify_ctx_free(vctx);
        check(gostkit_cms_verify_ctx_new(msg, msg_len, &vctx) == GOSTKIT_STATUS_OK, "cms: verify ctx 2");
        gostkit_cms_verify_ctx_update(vctx, big, sizeof big - 1);
        n = 2;
        check(gostkit_cms_verify_ctx_finish(vctx, store, 0, 1, sts, &n) == GOSTKIT_STATUS_DIGEST_MISMATCH,
              "cms: incremental verify of other content");
        gostkit_cms_verify_ctx_free(vctx);
        gostkit_cms_verify_ctx_free(NULL);
    }

    /* Password-protected key export and import (Cyrillic UTF-8 password). */
    const char *pw = "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c"; /* "пароль" */
    size_t pem_len = sizeof buf;
    check(gostkit_signing_key_to_encrypted_pkcs8(lk, (const uint8_t *)pw, strlen(pw), 10, buf, &pem_len) ==
              GOSTKIT_STATUS_OK && memcmp(buf, "-----BEGIN ENCRYPTED PRIVATE KEY-----", 37) == 0,
          "pkcs8: encrypted export");
    gostkit_signing_key *back = NULL;
    check(gostkit_signing_key_from_encrypted_pkcs8(buf, pem_len, (const uint8_t *)pw, strlen(pw), &back) ==
              GOSTKIT_STATUS_OK && gostkit_cert_matches_key(leaf, back) == GOSTKIT_STATUS_OK,
          "pkcs8: encrypted import");
    gostkit_signing_key_free(back);
    back = NULL;
    check(gostkit_signing_key_from_encrypted_pkcs8(buf, pem_len, (const uint8_t *)"x", 1, &back) ==
              GOSTKIT_STATUS_WRONG_PASSWORD && back == NULL, "pkcs8: wrong password");
    /* The iteration cap (the key above has 10 PBKDF2 iterations): refused with the count and the
       cap before any derivation, accepted at the count, 0 meaning the default. */
    check(gostkit_signing_key_from_encrypted_pkcs8_capped(buf, pem_len, (const uint8_t *)pw, strlen(pw), 9, &back) ==
              GOSTKIT_STATUS_UNSUPPORTED && back == NULL && strstr(gostkit_last_error(), "10") &&
              strstr(gostkit_last_error(), "cap 9"),
          "pkcs8: iteration count above the caller's cap");
    check(gostkit_signing_key_from_encrypted_pkcs8_capped(buf, pem_len, (const uint8_t *)pw, strlen(pw), 10, &back) ==
              GOSTKIT_STATUS_OK && back != NULL, "pkcs8: iteration count at the cap");
    gostkit_signing_key_free(back);
    back = NULL;
    check(gostkit_signing_key_from_encrypted_pkcs8_capped(buf, pem_len, (const uint8_t *)pw, strlen(pw), 0, &back) ==
              GOSTKIT_STATUS_OK && back != NULL && GOSTKIT_DEFAULT_MAX_ITERATIONS == 150000,
          "pkcs8: 0 means the default cap");
    gostkit_signing_key_free(back);
    back = NULL;

    /* PFX export and import. */
    size_t pfx_len = sizeof buf;
    check(gostkit_pfx_export(leaf, lk, (const uint8_t *)pw, strlen(pw), buf, &pfx_len) == GOSTKIT_STATUS_OK,
          "pfx: export");
    gostkit_cert *pc = NULL;
    back = NULL;
    check(gostkit_pfx_import(buf, pfx_len, (const uint8_t *)pw, strlen(pw), &back, &pc) == GOSTKIT_STATUS_OK &&
              gostkit_cert_matches_key(pc, back) == GOSTKIT_STATUS_OK, "pfx: import");
    gostkit_cert_free(pc);
    gostkit_signing_key_free(back);
    back = NULL;
    pc = NULL;
    check(gostkit_pfx_import(buf, pfx_len, (const uint8_t *)"x", 1, &back, &pc) == GOSTKIT_STATUS_WRONG_PASSWORD &&
              back == NULL && pc == NULL, "pfx: wrong password");
    check(gostkit_pfx_import_capped(buf, pfx_len, (const uint8_t *)pw, strlen(pw), 1999, &back, &pc) ==
              GOSTKIT_STATUS_UNSUPPORTED && back == NULL && pc == NULL && strstr(gostkit_last_error(), "cap 1999"),
          "pfx: iteration count (2000) above the caller's cap");
    check(gostkit_pfx_import_capped(buf, pfx_len, (const uint8_t *)pw, strlen(pw), 2000, &back, &pc) ==
              GOSTKIT_STATUS_OK && gostkit_cert_matches_key(pc, back) == GOSTKIT_STATUS_OK,
          "pfx: iteration count at the cap");
    gostkit_cert_free(pc);
    gostkit_signing_key_free(back);
    back = NULL;
    pc = NULL;
    /* A password that is not UTF-8 (Latin-1 "\xe9t\xe9") opens nothing and hands out nothing. */
    check(gostkit_pfx_import(buf, pfx_len, (const uint8_t *)"\xe9t\xe9", 3, &back, &pc) != GOSTKIT_STATUS_OK &&
              back == NULL && pc == NULL && gostkit_last_error()[0] != '\0',
          "pfx: non-UTF-8 password refused");
    check(gostkit_pfx_export(leaf, ok, (const uint8_t *)pw, strlen(pw), buf, &pfx_len) == GOSTKIT_STATUS_KEY_MISMATCH,
          "pfx: key mismatch");

    gostkit_store_free(store);
    gostkit_cert_free(root);
    gostkit_cert_free(leaf);
    gostkit_cert_free(other);
    gostkit_signing_key_free(rk);
    gostkit_signing_key_free(lk);
    gostkit_signing_key_free(ok);
}

/* Issue 16: who signed, co-signatures, chains, recipients, keyring, PFX chain, buffers, named errors. */
static gostkit_cert *issue_from(gostkit_signing_key *k, const char *dn, gostkit_cert *ca, gostkit_signing_key *cak,
                                uint32_t flags) {
    static uint8_t csr[4096];
    size_t n = sizeof csr;
    gostkit_cert *c = NULL;
    if (gostkit_csr_create(k, dn, csr, &n) != GOSTKIT_STATUS_OK) return NULL;
    if (gostkit_cert_issue(csr, n, NULL, ca, cak, 10, flags, -1, &c) != GOSTKIT_STATUS_OK) return NULL;
    return c;
}

static void test_cms_named(void) {
    gostkit_signing_key *rk = NULL, *ik = NULL, *ak = NULL, *bk = NULL;
    gostkit_cert *root = NULL, *ica = NULL, *alice = NULL, *bob = NULL;
    gostkit_store *store = NULL;
    char s[512];
    size_t n;
    check(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26512_A, NULL, 0, &rk) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, NULL, 0, &ik) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, NULL, 0, &ak) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_B, NULL, 0, &bk) == GOSTKIT_STATUS_OK,
          "named: keys");
    check(gostkit_cert_issue(NULL, 0, "/CN=N Root", NULL, rk, 30, GOSTKIT_ISSUE_CA, 1, &root) == GOSTKIT_STATUS_OK,
          "named: root");
    ica = issue_from(ik, "/CN=N Intermediate", root, rk, GOSTKIT_ISSUE_CA);
    alice = issue_from(ak, "/CN=Alice/INN=007701234560", ica, ik, 0);
    bob = issue_from(bk, "/CN=Bob Inspection", ica, ik, 0);
    check(ica && alice && bob, "named: intermediate and two leaves");
    gostkit_store_new(&store);
    {
        uint8_t der[4096];
        n = sizeof der;
        gostkit_cert_der(root, der, &n);
        check(gostkit_store_add(store, der, n, GOSTKIT_STORE_ROLE_TRUSTED_ROOT) == GOSTKIT_STATUS_OK,
              "named: store with the root only");
    }

    /* Sign with the intermediate in the message (library buffer), then a co-signature by Bob. */
    const uint8_t doc[] = "login challenge 42";
    const gostkit_cert *chain[1] = {ica};
    gostkit_buffer *sig = NULL, *co = NULL;
    check(gostkit_cms_sign_buf(alice, ak, chain, 1, doc, sizeof doc, 0, &sig) == GOSTKIT_STATUS_OK && sig &&
              gostkit_buffer_len(sig) > 500 && gostkit_buffer_data(sig) != NULL, "named: sign_buf with a chain");
    gostkit_cms_verify_result *res = NULL;
    check(gostkit_cms_verify_result_new(gostkit_buffer_data(sig), gostkit_buffer_len(sig), NULL, 0, store, 0,
                                        GOSTKIT_REVOCATION_OFF, &res) == GOSTKIT_STATUS_OK &&
              gostkit_cms_verify_result_count(res) == 1, "named: chain from the message validates");
    gostkit_cms_verify_result_free(res);
    res = NULL;
    gostkit_buffer *nochain = NULL;
    gostkit_cms_sign_buf(alice, ak, NULL, 0, doc, sizeof doc, 0, &nochain);
    check(gostkit_cms_verify_result_new(gostkit_buffer_data(nochain), gostkit_buffer_len(nochain), NULL, 0, store, 0,
                                        GOSTKIT_REVOCATION_OFF, &res) == GOSTKIT_STATUS_NO_ISSUER && res != NULL,
          "named: without the chain the issuer is missing, result still given");
    gostkit_cms_verify_result_free(res);
    res = NULL;
    gostkit_buffer_free(nochain);
    {
        static uint8_t cb[16384];
        size_t cb_len = sizeof cb;
        check(gostkit_cms_sign_chain(alice, ak, chain, 1, doc, sizeof doc, 0, cb, &cb_len) == GOSTKIT_STATUS_OK &&
                  cb_len > 500, "named: sign_chain into a caller buffer");
    }
    check(gostkit_cms_add_signer(gostkit_buffer_data(sig), gostkit_buffer_len(sig), NULL, 0, bob, bk, NULL, 0, 0,
                                 &co) == GOSTKIT_STATUS_OK && co, "named: co-signature added");
    check(gostkit_cms_add_signer(gostkit_buffer_data(sig), gostkit_buffer_len(sig), NULL, 0, bob, ak, NULL, 0, 0,
                                 &nochain) == GOSTKIT_STATUS_KEY_MISMATCH && nochain == NULL,
          "named: co-signature with a foreign key");
    check(gostkit_cms_verify_result_new(gostkit_buffer_data(co), gostkit_buffer_len(co), NULL, 0, store,
                                        GOSTKIT_AT_CLAIMED_SIGNING_TIME, GOSTKIT_REVOCATION_OFF, &res) ==
              GOSTKIT_STATUS_OK && gostkit_cms_verify_result_count(res) == 2, "named: two signers verify");
    const gostkit_cms_signer *s0 = gostkit_cms_verify_result_signer(res, 0), *s1 = gostkit_cms_verify_result_signer(res, 1);
    check(s0 && s1 && gostkit_cms_verify_result_signer(res, 2) == NULL, "named: signer accessors by index");
    check(gostkit_cms_signer_status(s0) == GOSTKIT_STATUS_OK && gostkit_cms_signer_status(s1) == GOSTKIT_STATUS_OK &&
              gostkit_cms_signer_status(NULL) == GOSTKIT_STATUS_NULL_ARGUMENT, "named: signer statuses");
    /* SignerInfos are a DER SET OF: their order in the message follows their encodings. */
    n = sizeof s;
    if (gostkit_cms_signer_subject(s0, (uint8_t *)s, &n) == GOSTKIT_STATUS_OK && strcmp(s, "CN=Bob Inspection") == 0) {
        const gostkit_cms_signer *t = s0;
        s0 = s1;
        s1 = t;
    }
    n = sizeof s;
    check(gostkit_cms_signer_subject(s1, (uint8_t *)s, &n) == GOSTKIT_STATUS_OK && strcmp(s, "CN=Bob Inspection") == 0,
          "named: second signer's subject is the inspection's");
    {
        /* The LK reads the INN from the login signature's certificate. */
        gostkit_cert *sc = NULL;
        check(gostkit_cms_signer_cert(s0, &sc) == GOSTKIT_STATUS_OK && sc, "named: signer certificate handle");
        n = sizeof s;
        check(gostkit_cert_subject_id(sc, GOSTKIT_RU_ID_INNLE, (uint8_t *)s, &n) == GOSTKIT_STATUS_OK &&
                  strcmp(s, "7701234560") == 0, "named: INN read from the signer's certificate");
        gostkit_cert_free(sc);
    }
    int64_t claimed = 0, validated = 0;
    uint32_t basis = 0;
    int64_t now = (int64_t)time(NULL);
    check(gostkit_cms_signer_claimed_signing_time(s0, &claimed) == GOSTKIT_STATUS_OK && claimed > now - 600 &&
              claimed <= now + 5, "named: claimed signingTime");
    check(gostkit_cms_signer_validated_at(s0, &validated, &basis) == GOSTKIT_STATUS_OK && validated == claimed &&
              basis == GOSTKIT_TIME_BASIS_CLAIMED_SIGNING_TIME, "named: validated at the claimed time, said so");
    gostkit_cert_list *path = NULL;
    check(gostkit_cms_signer_path(s0, &path) == GOSTKIT_STATUS_OK && gostkit_cert_list_count(path) == 3,
          "named: validated path leaf, intermediate, root");
    {
        gostkit_cert *pc = NULL;
        n = sizeof s;
        check(gostkit_cert_list_get(path, 2, &pc) == GOSTKIT_STATUS_OK &&
                  gostkit_cert_subject(pc, (uint8_t *)s, &n) == GOSTKIT_STATUS_OK && strcmp(s, "CN=N Root") == 0,
              "named: path ends at the root");
        gostkit_cert_free(pc);
        pc = NULL;
        check(gostkit_cert_list_get(path, 3, &pc) == GOSTKIT_STATUS_NOT_FOUND && pc == NULL, "named: path index range");
    }
    gostkit_cert_list_free(path);
    gostkit_cms_verify_result_free(res);
    res = NULL;

    /* SIGNER_NOT_FOUND names the signer; a detached signature without content says so. */
    gostkit_buffer *det = NULL;
    check(gostkit_cms_sign_buf(alice, ak, NULL, 0, doc, sizeof doc, GOSTKIT_CMS_DETACHED | GOSTKIT_CMS_NO_CERTS, &det) ==
              GOSTKIT_STATUS_OK, "named: detached, no certificates");
    uint32_t sts[2];
    n = 2;
    char serial_hex[80] = "", issuer[256];
    {
        uint8_t ser[40];
        size_t sl = sizeof ser;
        gostkit_cert_serial(alice, ser, &sl);
        for (size_t i = 0; i < sl && i < 39; i++) snprintf(serial_hex + 2 * i, 3, "%02x", ser[i]);
        n = sizeof issuer;
        gostkit_cert_issuer(alice, (uint8_t *)issuer, &n);
    }
    n = 2;
    check(gostkit_cms_verify(gostkit_buffer_data(det), gostkit_buffer_len(det), doc, sizeof doc, store, 0, 0, sts, &n) ==
              GOSTKIT_STATUS_SIGNER_NOT_FOUND && strstr(gostkit_last_error(), serial_hex) &&
              strstr(gostkit_last_error(), issuer), "named: SIGNER_NOT_FOUND gives issuer and serial");
    check(gostkit_cms_verify_result_new(gostkit_buffer_data(det), gostkit_buffer_len(det), doc, sizeof doc, store, 0, 0,
                                        &res) == GOSTKIT_STATUS_SIGNER_NOT_FOUND && res, "named: result for a missing signer");
    {
        gostkit_cert *none = NULL;
        const gostkit_cms_signer *sx = gostkit_cms_verify_result_signer(res, 0);
        n = sizeof s;
        check(gostkit_cms_signer_cert(sx, &none) == GOSTKIT_STATUS_SIGNER_NOT_FOUND && none == NULL &&
                  gostkit_cms_signer_id(sx, (uint8_t *)s, &n) == GOSTKIT_STATUS_OK && strstr(s, serial_hex),
              "named: missing signer's id readable");
        n = sizeof s;
        check(gostkit_cms_signer_detail(sx, (uint8_t *)s, &n) == GOSTKIT_STATUS_OK && strstr(s, "signer 1 of 1"),
              "named: signer detail");
    }
    gostkit_cms_verify_result_free(res);
    res = NULL;
    gostkit_store *with_alice = NULL;
    gostkit_store_new(&with_alice);
    {
        uint8_t der[4096];
        n = sizeof der;
        gostkit_cert_der(alice, der, &n);
        gostkit_store_add(with_alice, der, n, GOSTKIT_STORE_ROLE_PERSONAL);
    }
    n = 2;
    check(gostkit_cms_verify(gostkit_buffer_data(det), gostkit_buffer_len(det), NULL, 0, with_alice, 0, 0, sts, &n) ==
              GOSTKIT_STATUS_CONTENT_MISSING && sts[0] == GOSTKIT_STATUS_CONTENT_MISSING,
          "named: detached signature without its content: CONTENT_MISSING, not DIGEST_MISMATCH");
    /* A second finish of a verification context. */
    gostkit_cms_verify_ctx *vctx = NULL;
    check(gostkit_cms_verify_ctx_new(gostkit_buffer_data(det), gostkit_buffer_len(det), &vctx) == GOSTKIT_STATUS_OK,
          "named: verify ctx");
    gostkit_cms_verify_ctx_update(vctx, doc, sizeof doc);
    check(gostkit_cms_verify_ctx_finish_result(vctx, with_alice, 0, 0, &res) == GOSTKIT_STATUS_NO_ISSUER && res &&
              gostkit_cms_signer_status(gostkit_cms_verify_result_signer(res, 0)) == GOSTKIT_STATUS_NO_ISSUER,
          "named: ctx finish with a result (signature fine, intermediate missing)");
    gostkit_cms_verify_result_free(res);
    res = NULL;
    n = 2;
    check(gostkit_cms_verify_ctx_finish(vctx, with_alice, 0, 0, sts, &n) == GOSTKIT_STATUS_INVALID_ARGUMENT &&
              strstr(gostkit_last_error(), "already finished"), "named: second finish says already finished");
    check(gostkit_cms_verify_ctx_update(vctx, doc, 1) == GOSTKIT_STATUS_INVALID_ARGUMENT, "named: update after finish");
    gostkit_cms_verify_ctx_free(vctx);
    gostkit_store_free(with_alice);
    gostkit_buffer_free(det);

    /* EnvelopedData: recipients listed, keyring decryption, NOT_A_RECIPIENT names them. */
    const gostkit_cert *to_bob[1] = {bob};
    gostkit_buffer *env = NULL, *plain = NULL;
    check(gostkit_cms_encrypt_buf(to_bob, 1, GOSTKIT_CMS_CIPHER_KUZNYECHIK_CTR_ACPKM_OMAC, doc, sizeof doc, &env) ==
              GOSTKIT_STATUS_OK && env, "named: encrypt_buf");
    gostkit_cms_recipients *rl = NULL;
    check(gostkit_cms_recipients_new(gostkit_buffer_data(env), gostkit_buffer_len(env), &rl) == GOSTKIT_STATUS_OK &&
              gostkit_cms_recipients_count(rl) == 1, "named: one recipient listed");
    check(gostkit_cms_recipient_matches(rl, 0, bob) == GOSTKIT_STATUS_OK &&
              gostkit_cms_recipient_matches(rl, 0, alice) == GOSTKIT_STATUS_NOT_A_RECIPIENT &&
              gostkit_cms_recipient_matches(rl, 1, bob) == GOSTKIT_STATUS_NOT_FOUND, "named: recipient compared");
    {
        uint8_t ser[40];
        size_t sl = sizeof ser;
        char bob_hex[80] = "";
        gostkit_cert_serial(bob, ser, &sl);
        for (size_t i = 0; i < sl && i < 39; i++) snprintf(bob_hex + 2 * i, 3, "%02x", ser[i]);
        n = sizeof s;
        check(gostkit_cms_recipient_id(rl, 0, (uint8_t *)s, &n) == GOSTKIT_STATUS_OK && strstr(s, bob_hex) &&
                  strstr(s, "CN=N Intermediate"), "named: recipient id text");
        check(gostkit_cms_decrypt_buf(alice, ak, gostkit_buffer_data(env), gostkit_buffer_len(env), &plain) ==
                  GOSTKIT_STATUS_NOT_A_RECIPIENT && plain == NULL && strstr(gostkit_last_error(), bob_hex),
              "named: NOT_A_RECIPIENT lists the recipients");
    }
    gostkit_cms_recipients_free(rl);
    gostkit_keyring *ring = NULL;
    gostkit_cert *used = NULL;
    check(gostkit_keyring_new(&ring) == GOSTKIT_STATUS_OK && gostkit_keyring_add(ring, alice, ak) == GOSTKIT_STATUS_OK &&
              gostkit_keyring_add(ring, bob, ak) == GOSTKIT_STATUS_KEY_MISMATCH, "named: keyring");
    check(gostkit_cms_decrypt_keyring(ring, gostkit_buffer_data(env), gostkit_buffer_len(env), &plain, &used) ==
              GOSTKIT_STATUS_NOT_A_RECIPIENT && plain == NULL && used == NULL, "named: keyring without Bob");
    gostkit_keyring_add(ring, bob, bk);
    check(gostkit_cms_decrypt_keyring(ring, gostkit_buffer_data(env), gostkit_buffer_len(env), &plain, &used) ==
              GOSTKIT_STATUS_OK && gostkit_buffer_len(plain) == sizeof doc &&
              memcmp(gostkit_buffer_data(plain), doc, sizeof doc) == 0 && used, "named: keyring picks Bob's pair");
    n = sizeof s;
    check(gostkit_cert_subject(used, (uint8_t *)s, &n) == GOSTKIT_STATUS_OK && strcmp(s, "CN=Bob Inspection") == 0,
          "named: the certificate used is Bob's");
    gostkit_cert_free(used);
    gostkit_buffer_free(plain);
    plain = NULL;
    check(gostkit_cms_decrypt_buf(bob, bk, gostkit_buffer_data(env), gostkit_buffer_len(env), &plain) == GOSTKIT_STATUS_OK &&
              gostkit_buffer_len(plain) == sizeof doc, "named: decrypt_buf");
    gostkit_buffer_free(plain);
    gostkit_keyring_free(ring);
    gostkit_keyring_free(NULL);
    gostkit_buffer_free(env);

    /* A stream source shorter than content_len. */
    {
        static uint8_t sink_buf[8192];
        struct mem_src src = {doc, sizeof doc, 0};
        struct mem_sink sink = {sink_buf, sizeof sink_buf, 0};
        check(gostkit_cms_encrypt_stream(to_bob, 1, GOSTKIT_CMS_CIPHER_MAGMA_CTR_ACPKM, sizeof doc + 10, mem_read, &src,
                                         mem_write, &sink) == GOSTKIT_STATUS_INVALID_ARGUMENT &&
                  strstr(gostkit_last_error(), "ended after 19 of the 29"),
              "named: short stream source gives INVALID_ARGUMENT with the counts");
    }

    /* Attached content and sign ctx into buffers; PBKDF2 buffer. */
    gostkit_buffer *content = NULL;
    check(gostkit_cms_signed_content_buf(gostkit_buffer_data(co), gostkit_buffer_len(co), &content) == GOSTKIT_STATUS_OK &&
              gostkit_buffer_len(content) == sizeof doc && memcmp(gostkit_buffer_data(content), doc, sizeof doc) == 0,
          "named: signed_content_buf");
    gostkit_buffer_free(content);
    gostkit_cms_sign_ctx *sctx = NULL;
    gostkit_buffer *sb = NULL;
    gostkit_cms_sign_ctx_new(alice, ak, 0, &sctx);
    gostkit_cms_sign_ctx_update(sctx, doc, sizeof doc);
    check(gostkit_cms_sign_ctx_finish_buf(sctx, &sb) == GOSTKIT_STATUS_OK && sb, "named: sign ctx finish_buf");
    check(gostkit_cms_sign_ctx_finish_buf(sctx, &content) == GOSTKIT_STATUS_INVALID_ARGUMENT && content == NULL,
          "named: sign ctx finishes once");
    n = 2;
    check(gostkit_cms_verify(gostkit_buffer_data(sb), gostkit_buffer_len(sb), doc, sizeof doc, store, 0, 0, sts, &n) ==
              GOSTKIT_STATUS_NO_ISSUER, "named: streamed signature verifies up to the missing intermediate");
    gostkit_buffer_free(sb);
    gostkit_cms_sign_ctx_free(sctx);
    {
        gostkit_buffer *dk = NULL;
        uint8_t pw[8], salt[4], want[64];
        size_t pl = unhex(pbkdf2_password, pw, sizeof pw), sl = unhex(pbkdf2_salt, salt, sizeof salt);
        size_t wl = unhex(pbkdf2_out, want, sizeof want);
        check(gostkit_pbkdf2_streebog512_buf(pw, pl, salt, sl, pbkdf2_iterations, wl, &dk) == GOSTKIT_STATUS_OK &&
                  gostkit_buffer_len(dk) == wl && memcmp(gostkit_buffer_data(dk), want, wl) == 0,
              "named: PBKDF2 into a buffer (R 50.1.111-2016 example 3)");
        gostkit_buffer_free(dk);
    }

    /* PFX with the chain, a friendly name and an iteration count. */
    {
        const gostkit_cert *pchain[2] = {ica, root};
        gostkit_buffer *pfx = NULL;
        const char *pw = "secret";
        check(gostkit_pfx_export_buf(alice, ak, pchain, 2, "Alice \xd0\x9b\xd0\x9a", 1000, (const uint8_t *)pw,
                                     strlen(pw), &pfx) == GOSTKIT_STATUS_OK && pfx, "named: PFX export with chain");
        gostkit_signing_key *k2 = NULL;
        gostkit_cert *c2 = NULL;
        gostkit_cert_list *ch = NULL;
        check(gostkit_pfx_import_capped(gostkit_buffer_data(pfx), gostkit_buffer_len(pfx), (const uint8_t *)pw,
                                        strlen(pw), 999, &k2, &c2) == GOSTKIT_STATUS_UNSUPPORTED,
              "named: PFX iteration count 1000 written");
        check(gostkit_pfx_import_chain(gostkit_buffer_data(pfx), gostkit_buffer_len(pfx), (const uint8_t *)pw,
                                       strlen(pw), 0, &k2, &c2, &ch) == GOSTKIT_STATUS_OK &&
                  gostkit_cert_list_count(ch) == 2 && gostkit_cert_matches_key(c2, k2) == GOSTKIT_STATUS_OK,
              "named: PFX import gives the chain (2 certificates)");
        gostkit_cert *first = NULL;
        n = sizeof s;
        check(gostkit_cert_list_get(ch, 0, &first) == GOSTKIT_STATUS_OK &&
                  gostkit_cert_subject(first, (uint8_t *)s, &n) == GOSTKIT_STATUS_OK && strcmp(s, "CN=N Intermediate") == 0,
              "named: PFX chain order kept");
        gostkit_cert_free(first);
        gostkit_cert_list_free(ch);
        gostkit_cert_free(c2);
        gostkit_signing_key_free(k2);
        k2 = NULL;
        c2 = NULL;
        ch = NULL;
        check(gostkit_pfx_import_chain(gostkit_buffer_data(pfx), gostkit_buffer_len(pfx), (const uint8_t *)"x", 1, 0,
                                       &k2, &c2, &ch) == GOSTKIT_STATUS_WRONG_PASSWORD && !k2 && !c2 && !ch,
              "named: PFX wrong password hands out nothing");
        gostkit_buffer_free(pfx);
        gostkit_cert_list_free(NULL);
        gostkit_buffer_free(NULL);
    }

    gostkit_buffer_free(co);
    gostkit_buffer_free(sig);
    gostkit_store_free(store);
    gostkit_cert_free(root);
    gostkit_cert_free(ica);
    gostkit_cert_free(alice);
    gostkit_cert_free(bob);
    gostkit_signing_key_free(rk);
    gostkit_signing_key_free(ik);
    gostkit_signing_key_free(ak);
    gostkit_signing_key_free(bk);
}

/* A one-direction in-memory transport for the TLS tests (a byte queue). */
struct pipe_buf { uint8_t data[262144]; size_t len, pos; int flip_at; };
static int32_t pipe_write(void *ctx, const uint8_t *buf, size_t len) {
    struct pipe_buf *p = ctx;
    if (p->len + len > sizeof p->data) return -1;
    memcpy(p->data + p->len, buf, len);
    if (p->flip_at >= 0 && (size_t)p->flip_at >= p->len && (size_t)p->flip_at < p->len + len)
        p->data[p->flip_at] ^= 1;
    p->len += len;
    return 0;
}
static ptrdiff_t pipe_read(void *ctx, uint8_t *buf, size_t len) {
    struct pipe_buf *p = ctx;
    size_t n = p->len - p->pos < len ? p->len - p->pos : len;
    memcpy(buf, p->data + p->pos, n);
    p->pos += n;
    if (p->pos == p->len) p->pos = p->len = 0;
    return (ptrdiff_t)n;
}

/* Moves bytes both ways until neither side has anything to say; returns the first failing
   status of either side's processing (OK when both are happy). */
static gostkit_status tls_pump(gostkit_tls_conn *c, gostkit_tls_conn *s, struct pipe_buf *c2s,
                               struct pipe_buf *s2c) {
    for (int round = 0; round < 50; round++) {
        size_t a = 0, b = 0, r1 = 0, r2 = 0;
        gostkit_tls_write_tls(c, pipe_write, c2s, &a);
        gostkit_tls_write_tls(s, pipe_write, s2c, &b);
        gostkit_tls_read_tls(s, pipe_read, c2s, &r1);
        gostkit_status st = gostkit_tls_process(s);
        if (st != GOSTKIT_STATUS_OK) return st; /* gostkit_last_error() says why; alert still queued */
        gostkit_tls_write_tls(s, pipe_write, s2c, &b);
        gostkit_tls_read_tls(c, pipe_read, s2c, &r2);
        st = gostkit_tls_process(c);
        if (st != GOSTKIT_STATUS_OK) return st;
        gostkit_tls_write_tls(c, pipe_write, c2s, &a);
        if (a == 0 && b == 0 && r1 == 0 && r2 == 0 && c2s->len == 0 && s2c->len == 0) break;
    }
    return GOSTKIT_STATUS_OK;
}

/* GOST TLS 1.2 through the header: an in-memory client and server (both suites, ALPN, a client
   certificate), data both ways, the peer's certificate, a tampered record (bad_record_mac),
   an untrusted server, a client without the certificate the server requires, config errors. */
static void test_tls(void) {
    gostkit_signing_key *ca_key = NULL, *srv_key = NULL, *cli_key = NULL;
    gostkit_cert *ca = NULL, *srv = NULL, *cli = NULL, *other = NULL;
    static uint8_t csr[8192], buf[65536];
    size_t n;
    check(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, NULL, 0, &ca_key) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_TC26512_A, NULL, 0, &srv_key) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_B, NULL, 0, &cli_key) == GOSTKIT_STATUS_OK,
          "tls: keys");
    check(gostkit_cert_issue(NULL, 0, "/CN=C TLS CA", NULL, ca_key, 30, GOSTKIT_ISSUE_CA, 0, &ca) ==
              GOSTKIT_STATUS_OK && gostkit_cert_issue(NULL, 0, "/CN=Stranger", NULL, cli_key, 30, 0, -1, &other) ==
              GOSTKIT_STATUS_OK, "tls: CA");
    n = sizeof csr;
    check(gostkit_csr_create(srv_key, "/CN=localhost", csr, &n) == GOSTKIT_STATUS_OK &&
              gostkit_cert_issue(csr, n, NULL, ca, ca_key, 10, 0, -1, &srv) == GOSTKIT_STATUS_OK,
          "tls: server certificate");
    n = sizeof csr;
    check(gostkit_csr_create(cli_key, "/CN=C TLS client", csr, &n) == GOSTKIT_STATUS_OK &&
              gostkit_cert_issue(csr, n, NULL, ca, ca_key, 10, 0, -1, &cli) == GOSTKIT_STATUS_OK,
          "tls: client certificate");
    gostkit_store *trust = NULL, *wrong = NULL;
    gostkit_store_new(&trust);
    gostkit_store_new(&wrong);
    n = sizeof buf;
    gostkit_cert_der(ca, buf, &n);
    check(gostkit_store_add(trust, buf, n, GOSTKIT_STORE_ROLE_TRUSTED_ROOT) == GOSTKIT_STATUS_OK, "tls: trust");
    n = sizeof buf;
    gostkit_cert_der(other, buf, &n);
    gostkit_store_add(wrong, buf, n, GOSTKIT_STORE_ROLE_TRUSTED_ROOT);

    const gostkit_cert *srv_chain[1] = {srv}, *cli_chain[1] = {cli};
    gostkit_tls_server_config *scfg = NULL;
    check(gostkit_tls_server_config_new(srv_chain, 1, srv_key, &scfg) == GOSTKIT_STATUS_OK, "tls: server config");
    check(gostkit_tls_server_config_add_alpn(scfg, (const uint8_t *)"http/1.1", 8) == GOSTKIT_STATUS_OK,
          "tls: server ALPN");
    gostkit_tls_server_config *bad_scfg = NULL;
    check(gostkit_tls_server_config_new(srv_chain, 1, cli_key, &bad_scfg) == GOSTKIT_STATUS_KEY_MISMATCH &&
              bad_scfg == NULL, "tls: server key not the certificate's");
    const uint16_t bogus = 0x002F;
    check(gostkit_tls_server_config_set_suites(scfg, &bogus, 1) == GOSTKIT_STATUS_UNSUPPORTED,
          "tls: unknown suite refused");

    const uint16_t suites[2] = {0xC100, 0xC101};
    for (int k = 0; k < 2; k++) {
        gostkit_tls_client_config *ccfg = NULL;
        check(gostkit_tls_client_config_new(trust, &ccfg) == GOSTKIT_STATUS_OK &&
                  gostkit_tls_client_config_set_suites(ccfg, &suites[k], 1) == GOSTKIT_STATUS_OK &&
                  gostkit_tls_client_config_add_alpn(ccfg, (const uint8_t *)"http/1.1", 8) == GOSTKIT_STATUS_OK,
              "tls: client config");
        gostkit_tls_conn *c = NULL, *s = NULL;
        check(gostkit_tls_client_new(ccfg, "localhost", &c) == GOSTKIT_STATUS_OK &&
                  gostkit_tls_server_new(scfg, &s) == GOSTKIT_STATUS_OK, "tls: connections");
        gostkit_tls_client_config_free(ccfg); /* the connection keeps its copy */
        check(gostkit_tls_is_handshaking(c) && gostkit_tls_wants_write(c), "tls: ClientHello ready");
        static struct pipe_buf c2s, s2c;
        c2s.len = c2s.pos = s2c.len = s2c.pos = 0;
        c2s.flip_at = s2c.flip_at = -1;
        check(tls_pump(c, s, &c2s, &s2c) == GOSTKIT_STATUS_OK && !gostkit_tls_is_handshaking(c) &&
                  !gostkit_tls_is_handshaking(s), "tls: handshake");
        check(gostkit_tls_suite(c) == suites[k] && gostkit_tls_suite(s) == suites[k], "tls: negotiated suite");
        char proto[16];
        n = sizeof proto;
        check(gostkit_tls_alpn(c, (uint8_t *)proto, &n) == GOSTKIT_STATUS_OK && n == 8 &&
                  memcmp(proto, "http/1.1", 8) == 0, "tls: ALPN agreed");
        gostkit_cert *pc = NULL;
        check(gostkit_tls_peer_cert(c, 0, &pc) == GOSTKIT_STATUS_OK, "tls: server certificate seen");
        check(gostkit_cert_matches_key(pc, srv_key) == GOSTKIT_STATUS_OK, "tls: it is the server's");
        gostkit_cert_free(pc);
        pc = NULL;
        check(gostkit_tls_peer_cert(c, 1, &pc) == GOSTKIT_STATUS_NOT_FOUND && pc == NULL, "tls: no second");

        /* 40 KB each way (several records). */
        static uint8_t big[40000];
        for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 13 + k);
        check(gostkit_tls_write(c, big, sizeof big) == GOSTKIT_STATUS_OK, "tls: client writes");
        check(tls_pump(c, s, &c2s, &s2c) == GOSTKIT_STATUS_OK, "tls: pump");
        size_t got = 0, r;
        do {
            r = 0;
            gostkit_tls_read(s, buf + got, sizeof buf - got, &r);
            got += r;
            if (r == 0 && got < sizeof big) {
                size_t x;
                gostkit_tls_read_tls(s, pipe_read, &c2s, &x);
                gostkit_tls_process(s);
                if (x == 0) break;
            }
        } while (got < sizeof big);
        check(got == sizeof big && memcmp(buf, big, sizeof big) == 0, "tls: server reads it all");
        check(gostkit_tls_write(s, (const uint8_t *)"pong", 4) == GOSTKIT_STATUS_OK &&
                  tls_pump(c, s, &c2s, &s2c) == GOSTKIT_STATUS_OK, "tls: server answers");
        n = 0;
        check(gostkit_tls_read(c, buf, sizeof buf, &n) == GOSTKIT_STATUS_OK && n == 4 && memcmp(buf, "pong", 4) == 0,
              "tls: client reads the answer");

        /* A flipped bit in a record: the server refuses it with bad_record_mac. */
        c2s.flip_at = 20;
        check(gostkit_tls_write(c, (const uint8_t *)"tampered", 8) == GOSTKIT_STATUS_OK, "tls: write");
        gostkit_status st = tls_pump(c, s, &c2s, &s2c);
        uint8_t code = 0;
        bool received = true;
        check(st == GOSTKIT_STATUS_AUTH_FAILED && gostkit_tls_alert(s, &code, &received) == GOSTKIT_STATUS_OK &&
                  code == 20 && !received, "tls: tampered record gives AUTH_FAILED and bad_record_mac");
        check(gostkit_tls_write(s, (const uint8_t *)"x", 1) != GOSTKIT_STATUS_OK, "tls: a failed connection stays failed");
        gostkit_tls_free(c);
        gostkit_tls_free(s);
    }

    /* Session resumption (RFC 5246 section 7.3): a full handshake, its session kept and offered
     * again (the configuration copies it; the handle outlives the connection), then an
     * abbreviated handshake with the same session id on both sides and data through it; a
     * session for another name is not offered. */
    {
        gostkit_tls_client_config *ccfg = NULL;
        check(gostkit_tls_client_config_new(trust, &ccfg) == GOSTKIT_STATUS_OK, "tls resume: config");
        gostkit_tls_session *sess = NULL;
        uint8_t id1[32], id2[32];
        size_t id1_len = sizeof id1, id2_len = sizeof id2;
        for (int round = 0; round < 3; round++) {
            gostkit_tls_conn *c = NULL, *s = NULL;
            const char *host = round == 2 ? "other.example" : "localhost";
            check(gostkit_tls_client_new(ccfg, host, &c) == GOSTKIT_STATUS_OK &&
                      gostkit_tls_server_new(scfg, &s) == GOSTKIT_STATUS_OK, "tls resume: connections");
            static struct pipe_buf c2s, s2c;
            c2s.len = c2s.pos = s2c.len = s2c.pos = 0;
            c2s.flip_at = s2c.flip_at = -1;
            gostkit_status st = tls_pump(c, s, &c2s, &s2c);
            if (round == 2) {
                /* not offered to another name: a full handshake, refused for the name */
                check(st == GOSTKIT_STATUS_HANDSHAKE_FAILURE && !gostkit_tls_is_resumed(c),
                      "tls resume: a session is not offered to another server name");
            } else {
                check(st == GOSTKIT_STATUS_OK && !gostkit_tls_is_handshaking(c), "tls resume: handshake");
                check(gostkit_tls_is_resumed(c) == (round == 1) && gostkit_tls_is_resumed(s) == (round == 1),
                      "tls resume: full handshake first, then resumed on both sides");
                size_t r = 0;
                check(gostkit_tls_write(c, (const uint8_t *)"again", 5) == GOSTKIT_STATUS_OK &&
                          tls_pump(c, s, &c2s, &s2c) == GOSTKIT_STATUS_OK &&
                          gostkit_tls_read(s, buf, sizeof buf, &r) == GOSTKIT_STATUS_OK && r == 5 &&
                          memcmp(buf, "again", 5) == 0, "tls resume: data under the keys");
                gostkit_tls_session *got = NULL;
                check(gostkit_tls_get_session(c, &got) == GOSTKIT_STATUS_OK && got != NULL, "tls resume: session");
                if (round == 0) {
                    check(gostkit_tls_session_id(got, id1, &id1_len) == GOSTKIT_STATUS_OK && id1_len == 32,
                          "tls resume: a 32-byte session id");
                    sess = got;
                    check(gostkit_tls_client_config_set_session(ccfg, sess) == GOSTKIT_STATUS_OK,
                          "tls resume: offer it");
                } else {
                    check(gostkit_tls_session_id(got, id2, &id2_len) == GOSTKIT_STATUS_OK && id2_len == id1_len &&
                              memcmp(id1, id2, id1_len) == 0, "tls resume: the same session id");
                    gostkit_tls_session *srv_sess = NULL;
                    size_t sl = sizeof id2;
                    check(gostkit_tls_get_session(s, &srv_sess) == GOSTKIT_STATUS_OK &&
                              gostkit_tls_session_id(srv_sess, id2, &sl) == GOSTKIT_STATUS_OK && sl == id1_len &&
                              memcmp(id1, id2, sl) == 0, "tls resume: the server's session is the same");
                    gostkit_tls_session_free(srv_sess);
                    gostkit_tls_session_free(got);
                }
            }
            gostkit_tls_free(c);
            gostkit_tls_free(s);
        }
        gostkit_tls_session *none = NULL;
        check(gostkit_tls_get_session(NULL, &none) == GOSTKIT_STATUS_NULL_ARGUMENT && none == NULL &&
                  gostkit_tls_client_config_set_session(NULL, sess) == GOSTKIT_STATUS_NULL_ARGUMENT &&
                  gostkit_tls_client_config_set_session(ccfg, NULL) == GOSTKIT_STATUS_OK &&
                  !gostkit_tls_is_resumed(NULL), "tls resume: argument checks");
        gostkit_tls_session_free(sess);
        gostkit_tls_session_free(NULL);
        gostkit_tls_client_config_free(ccfg);
    }

    /* A server the client does not trust: the chain status, and the client's alert. */
    {
        gostkit_tls_client_config *ccfg = NULL;
        gostkit_tls_client_config_new(wrong, &ccfg);
        gostkit_tls_conn *c = NULL, *s = NULL;
        gostkit_tls_client_new(ccfg, "localhost", &c);
        gostkit_tls_server_new(scfg, &s);
        static struct pipe_buf c2s, s2c;
        c2s.len = c2s.pos = s2c.len = s2c.pos = 0;
        c2s.flip_at = s2c.flip_at = -1;
        gostkit_status st = tls_pump(c, s, &c2s, &s2c);
        check(st == GOSTKIT_STATUS_NO_ISSUER && strstr(gostkit_last_error(), "CN=localhost"),
              "tls: untrusted server: NO_ISSUER naming the certificate");
        uint8_t code = 0;
        bool received = true;
        check(gostkit_tls_alert(c, &code, &received) == GOSTKIT_STATUS_OK && code == 48 && !received,
              "tls: untrusted server: unknown_ca sent");
        /* the queued alert reaches the server, which reports it as received */
        size_t x;
        gostkit_tls_write_tls(c, pipe_write, &c2s, &x);
        gostkit_tls_read_tls(s, pipe_read, &c2s, &x);
        check(gostkit_tls_process(s) == GOSTKIT_STATUS_TLS_ALERT &&
                  gostkit_tls_alert(s, &code, &received) == GOSTKIT_STATUS_OK && code == 48 && received,
              "tls: the server receives unknown_ca");
        gostkit_tls_free(c);
        gostkit_tls_free(s);
        gostkit_tls_client_config_free(ccfg);
    }

    /* The client's validation time: the server's 10-day certificate has expired in 2100; a
     * negative time is refused. */
    {
        gostkit_tls_client_config *ccfg = NULL;
        check(gostkit_tls_client_config_new(trust, &ccfg) == GOSTKIT_STATUS_OK &&
                  gostkit_tls_client_config_set_time(ccfg, -1) == GOSTKIT_STATUS_INVALID_ARGUMENT &&
                  gostkit_tls_client_config_set_time(NULL, 0) == GOSTKIT_STATUS_NULL_ARGUMENT &&
                  gostkit_tls_client_config_set_time(ccfg, 4102444800LL /* 2100-01-01 */) == GOSTKIT_STATUS_OK,
              "tls: set_time checks its arguments");
        gostkit_tls_conn *c = NULL, *s = NULL;
        gostkit_tls_client_new(ccfg, "localhost", &c);
        gostkit_tls_server_new(scfg, &s);
        static struct pipe_buf c2s, s2c;
        c2s.len = c2s.pos = s2c.len = s2c.pos = 0;
        c2s.flip_at = s2c.flip_at = -1;
        check(tls_pump(c, s, &c2s, &s2c) == GOSTKIT_STATUS_CERT_EXPIRED,
              "tls: at 2100 the server certificate has expired");
        uint8_t code = 0;
        bool received = true;
        check(gostkit_tls_alert(c, &code, &received) == GOSTKIT_STATUS_OK && code == 45 && !received,
              "tls: certificate_expired sent");
        gostkit_tls_free(c);
        gostkit_tls_free(s);
        gostkit_tls_client_config_free(ccfg);
    }

    /* Client certificates: required by the server; refused without, accepted with. */
    check(gostkit_tls_server_config_set_client_ca(scfg, trust) == GOSTKIT_STATUS_OK, "tls: client CA");
    for (int with_cert = 0; with_cert < 2; with_cert++) {
        gostkit_tls_client_config *ccfg = NULL;
        gostkit_tls_client_config_new(trust, &ccfg);
        if (with_cert) {
            check(gostkit_tls_client_config_set_client_auth(ccfg, cli_chain, 1, srv_key) == GOSTKIT_STATUS_KEY_MISMATCH,
                  "tls: client key must be the certificate's");
            check(gostkit_tls_client_config_set_client_auth(ccfg, cli_chain, 1, cli_key) == GOSTKIT_STATUS_OK,
                  "tls: client certificate set");
        }
        gostkit_tls_conn *c = NULL, *s = NULL;
        gostkit_tls_client_new(ccfg, "localhost", &c);
        gostkit_tls_server_new(scfg, &s);
        gostkit_tls_client_config_free(ccfg);
        static struct pipe_buf c2s, s2c;
        c2s.len = c2s.pos = s2c.len = s2c.pos = 0;
        c2s.flip_at = s2c.flip_at = -1;
        gostkit_status st = tls_pump(c, s, &c2s, &s2c);
        if (with_cert) {
            gostkit_cert *pc = NULL;
            check(st == GOSTKIT_STATUS_OK && gostkit_tls_peer_cert(s, 0, &pc) == GOSTKIT_STATUS_OK &&
                      gostkit_cert_matches_key(pc, cli_key) == GOSTKIT_STATUS_OK,
                  "tls: the server sees the client's certificate");
            gostkit_cert_free(pc);
            check(gostkit_tls_close(c) == GOSTKIT_STATUS_OK && tls_pump(c, s, &c2s, &s2c) == GOSTKIT_STATUS_OK &&
                      gostkit_tls_peer_closed(s), "tls: close_notify");
        } else {
            /* The server fails first; the client then reads its alert. */
            size_t x;
            gostkit_tls_write_tls(s, pipe_write, &s2c, &x);
            gostkit_tls_read_tls(c, pipe_read, &s2c, &x);
            gostkit_status cst = gostkit_tls_process(c);
            check(st == GOSTKIT_STATUS_HANDSHAKE_FAILURE && cst == GOSTKIT_STATUS_TLS_ALERT &&
                      strstr(gostkit_last_error(), "handshake_failure"),
                  "tls: no client certificate: HANDSHAKE_FAILURE, the client gets TLS_ALERT");
            uint8_t code = 0;
            bool received = false;
            check(gostkit_tls_alert(c, &code, &received) == GOSTKIT_STATUS_OK && code == 40 && received,
                  "tls: the alert is handshake_failure, received");
        }
        gostkit_tls_free(c);
        gostkit_tls_free(s);
    }

    check(gostkit_tls_client_new(NULL, "x", NULL) == GOSTKIT_STATUS_NULL_ARGUMENT && gostkit_tls_suite(NULL) == 0 &&
              !gostkit_tls_is_handshaking(NULL), "tls: NULLs");
    gostkit_tls_free(NULL);
    gostkit_tls_client_config_free(NULL);
    gostkit_tls_server_config_free(NULL);
    gostkit_tls_server_config_free(scfg);
    gostkit_store_free(trust);
    gostkit_store_free(wrong);
    gostkit_cert_free(ca);
    gostkit_cert_free(srv);
    gostkit_cert_free(cli);
    gostkit_cert_free(other);
    gostkit_signing_key_free(ca_key);
    gostkit_signing_key_free(srv_key);
    gostkit_signing_key_free(cli_key);
}

/* ---- CryptoPro CSP containers and CryptoPro PFX (argv: the test-vectors/cryptopro directory and
 * an empty scratch directory, both given by run.sh) ---------------------------------------------- */

static size_t read_file(const char *path, uint8_t *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(buf, 1, cap, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    return more ? 0 : n;
}

static int write_file(const char *path, const uint8_t *buf, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    size_t n = fwrite(buf, 1, len, f);
    return fclose(f) == 0 && n == len;
}

/* Signs `data` with key/cert, verifies the message against a store whose trust anchor is `anchor`
 * at Unix time `at` (expecting `expect` for the signer), and checks the content it carries. */
static void cms_round_trip(gostkit_cert *cert, gostkit_signing_key *key, gostkit_cert *anchor, int64_t at,
                           gostkit_status expect, const char *what) {
    static uint8_t msg[16384], der[4096], content[64];
    const char *data = "signed with a CryptoPro container key";
    size_t msg_len = sizeof msg, der_len = sizeof der, content_len = sizeof content, n = 1;
    uint32_t st1 = 0;
    gostkit_store *store = NULL;
    check(gostkit_cms_sign(cert, key, (const uint8_t *)data, strlen(data), 0, msg, &msg_len) == GOSTKIT_STATUS_OK,
          what);
    check(gostkit_store_new(&store) == GOSTKIT_STATUS_OK && gostkit_cert_der(anchor, der, &der_len) == GOSTKIT_STATUS_OK &&
              gostkit_store_add(store, der, der_len, GOSTKIT_STORE_ROLE_TRUSTED_ROOT) == GOSTKIT_STATUS_OK,
          "container: store for CMS verification");
    check(gostkit_cms_verify(msg, msg_len, NULL, 0, store, at, GOSTKIT_REVOCATION_OFF, &st1, &n) == expect &&
              n == 1 && st1 == (uint32_t)expect, what);
    check(gostkit_cms_signed_content(msg, msg_len, content, &content_len) == GOSTKIT_STATUS_OK &&
              content_len == strlen(data) && memcmp(content, data, content_len) == 0, what);
    gostkit_store_free(store);
}

/* Listing a key directory, writing a container with chosen attributes, and installing an issued
 * certificate next to its key (the CA wizard's last step). `scratch` holds a.000 (PIN, nk's
 * certificate) and b.000 (ok's key, its masks.key altered). */
static void test_container_store(const char *scratch, gostkit_signing_key *nk, gostkit_cert *ncert,
                                 gostkit_signing_key *ok, gostkit_cert *ocert) {
    char path[1024];
    uint8_t buf[4096], buf2[4096];
    size_t n;
    gostkit_container_list *list = NULL;
    check(gostkit_container_list_new(scratch, &list) == GOSTKIT_STATUS_OK && list != NULL, "container list: new");
    check(gostkit_container_list_count(list) == 2, "container list: two containers");
    check(gostkit_container_list_count(NULL) == 0, "container list: count of NULL");
    n = sizeof path;
    check(gostkit_container_list_path(list, 0, (uint8_t *)path, &n) == GOSTKIT_STATUS_OK &&
              strstr(path, "/a.000") != NULL && n == strlen(path) + 1, "container list: first path, in name order");
    n = 0;
    check(gostkit_container_list_path(list, 1, NULL, &n) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
              n == strlen(scratch) + strlen("/b.000") + 1, "container list: path size query");
    check(gostkit_container_list_status(list, 0) == GOSTKIT_STATUS_OK, "container list: a.000 parses");
    check(gostkit_container_list_status(list, 1) == GOSTKIT_STATUS_AUTH_FAILED,
          "container list: the damaged b.000 is listed with AUTH_FAILED");
    check(gostkit_container_list_status(list, 2) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "container list: index past the end");
    gostkit_container *c = NULL;
    check(gostkit_container_list_get(list, 1, &c) == GOSTKIT_STATUS_AUTH_FAILED && c == NULL,
          "container list: a damaged entry gives no handle");
    check(gostkit_container_list_get(list, 0, &c) == GOSTKIT_STATUS_OK && c != NULL, "container list: get a.000");
    uint8_t name[64];
    n = sizeof name;
    check(gostkit_container_name(c, name, &n) == GOSTKIT_STATUS_OK && strcmp((char *)name, "test-a") == 0,
          "container list: the entry's name");
    gostkit_signing_key *k = NULL;
    check(gostkit_container_unlock(c, (const uint8_t *)"12345678", 8, &k) == GOSTKIT_STATUS_OK &&
              gostkit_cert_matches_key(ncert, k) == GOSTKIT_STATUS_OK, "container list: unlock the entry");
    gostkit_signing_key_free(k);
    k = NULL;
    gostkit_container_free(c);
    c = NULL;
    gostkit_container_list_free(list);
    gostkit_container_list_free(NULL);
    list = NULL;
    snprintf(path, sizeof path, "%s/no-such-dir", scratch);
    check(gostkit_container_list_new(path, &list) == GOSTKIT_STATUS_IO && list == NULL,
          "container list: a missing directory");

    /* create_ex: a 512-bit signature key without reserve copy, not exportable, no certificate. */
    snprintf(path, sizeof path, "%s/c.000", scratch);
    check(gostkit_container_create_ex(path, ok, NULL, NULL, 0, "test-c", 0x100) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "container create_ex: an unknown flag is refused");
    check(gostkit_container_create_ex(path, ok, NULL, NULL, 0, "test-c",
                                      GOSTKIT_CONTAINER_SIGNATURE_KEY | GOSTKIT_CONTAINER_NO_RESERVE_COPY) ==
              GOSTKIT_STATUS_OK, "container create_ex: signature key, no reserve copy");
    snprintf(path, sizeof path, "%s/c.000/primary2.key", scratch);
    check(read_file(path, buf, sizeof buf) == 0, "container create_ex: no primary2.key written");
    snprintf(path, sizeof path, "%s/c.000", scratch);
    bool exportable = true, has_pin = true;
    uint32_t curve = 0;
    check(gostkit_container_read(path, &c) == GOSTKIT_STATUS_OK &&
              gostkit_container_info(c, &exportable, &has_pin, &curve) == GOSTKIT_STATUS_OK && !exportable &&
              !has_pin && curve == GOSTKIT_CURVE_TC26512_A, "container create_ex: info (not exportable, no PIN)");
    gostkit_cert *none = NULL;
    check(gostkit_container_cert(c, &none) == GOSTKIT_STATUS_NOT_FOUND, "container create_ex: no certificate yet");
    gostkit_container_free(c);
    c = NULL;
    snprintf(path, sizeof path, "%s/d.000", scratch);
    check(gostkit_container_create_ex(path, nk, NULL, NULL, 0, "test-d", GOSTKIT_CONTAINER_GOST2001) !=
              GOSTKIT_STATUS_OK, "container create_ex: a tc26-256-A key is refused in a 2001 container");
    snprintf(path, sizeof path, "%s/d.000/header.key", scratch);
    check(read_file(path, buf, sizeof buf) == 0, "container create_ex: no header.key for the refused 2001 container");

    /* Install the issued certificate next to its key; another key's certificate is refused. */
    snprintf(path, sizeof path, "%s/c.000", scratch);
    check(gostkit_container_store_cert(path, ncert) == GOSTKIT_STATUS_KEY_MISMATCH,
          "container store_cert: another key's certificate is refused");
    check(gostkit_container_store_cert(path, ocert) == GOSTKIT_STATUS_OK, "container store_cert: install");
    gostkit_cert *stored = NULL;
    size_t l1 = sizeof buf, l2 = sizeof buf2;
    check(gostkit_container_read(path, &c) == GOSTKIT_STATUS_OK && gostkit_container_cert(c, &stored) == GOSTKIT_STATUS_OK &&
              gostkit_cert_der(stored, buf, &l1) == GOSTKIT_STATUS_OK &&
              gostkit_cert_der(ocert, buf2, &l2) == GOSTKIT_STATUS_OK && l1 == l2 && memcmp(buf, buf2, l1) == 0,
          "container store_cert: the stored certificate is the one installed");
    check(gostkit_container_open(path, NULL, 0, &k) == GOSTKIT_STATUS_OK &&
              gostkit_cert_matches_key(stored, k) == GOSTKIT_STATUS_OK,
          "container store_cert: the key still opens and matches the stored certificate");
    {
        /* c.000 is marked non-exportable: its key signs but is never written out. */
        static uint8_t m[16384], x[4096];
        size_t m_len = sizeof m, x_len = sizeof x;
        const uint8_t text[] = "signed with a non-exportable key";
        check(gostkit_cms_sign(stored, k, text, sizeof text, 0, m, &m_len) == GOSTKIT_STATUS_OK,
              "container: a non-exportable key signs");
        check(gostkit_signing_key_to_pkcs8_der(k, x, &x_len) == GOSTKIT_STATUS_UNSUPPORTED &&
                  strstr(gostkit_last_error(), "not exportable") != NULL,
              "container: a non-exportable key refuses PKCS#8 export, saying why");
        x_len = sizeof x;
        check(gostkit_signing_key_to_raw(k, x, &x_len) == GOSTKIT_STATUS_UNSUPPORTED,
              "container: a non-exportable key refuses raw export");
        gostkit_signing_key *again = NULL;
        x_len = sizeof x;
        check(gostkit_signing_key_share(k, &again) == GOSTKIT_STATUS_OK &&
                  gostkit_signing_key_to_raw(again, x, &x_len) == GOSTKIT_STATUS_UNSUPPORTED,
              "container: a shared handle keeps the non-exportable mark");
        gostkit_signing_key_free(again);
    }
    gostkit_signing_key_free(k);
    gostkit_cert_free(stored);
    gostkit_container_free(c);
    snprintf(path, sizeof path, "%s/no-such-dir", scratch);
    check(gostkit_container_store_cert(path, ocert) == GOSTKIT_STATUS_IO, "container store_cert: no container there");
    check(gostkit_container_store_cert(NULL, ocert) == GOSTKIT_STATUS_NULL_ARGUMENT &&
              gostkit_container_store_cert(scratch, NULL) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "container store_cert: NULL arguments");
    check(gostkit_container_list_new(scratch, &list) == GOSTKIT_STATUS_OK && gostkit_container_list_count(list) == 3,
          "container list: three containers after create_ex");
    gostkit_container_list_free(list);
}

/* CRLs from RFC 9215 (test-vectors/rfc9215, beside the cryptopro directory): parsed into a store;
 * a CRL from another issuer does not stand in for the missing one of a leaf. */
static void test_store_crl(const char *vectors) {
    static uint8_t buf[8192];
    char path[1024];
    gostkit_store *store = NULL;
    check(gostkit_store_new(&store) == GOSTKIT_STATUS_OK, "store crl: new");
    const char *names[3] = {"crl-256-a.pem", "crl-256-test.pem", "crl-512-test.pem"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/../rfc9215/%s", vectors, names[i]);
        size_t n = read_file(path, buf, sizeof buf);
        check(n > 0, "store crl: RFC 9215 CRL read");
        check(gostkit_store_add_crl(store, buf, n) == GOSTKIT_STATUS_OK, "store crl: RFC 9215 CRL added");
        if (i == 0) {
            check(gostkit_store_add_crl(store, buf, n / 2) == GOSTKIT_STATUS_MALFORMED, "store crl: truncated PEM refused");
        }
    }
    check(gostkit_store_add_crl(store, (const uint8_t *)"\x30\x03\x02\x01\x01", 5) == GOSTKIT_STATUS_MALFORMED,
          "store crl: not a CRL");
    check(gostkit_store_add_crl(NULL, buf, 1) == GOSTKIT_STATUS_NULL_ARGUMENT &&
              gostkit_store_add_crl(store, NULL, 1) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "store crl: NULL arguments");

    /* a fresh CA and leaf: the RFC 9215 CRLs are not from this CA */
    gostkit_signing_key *ca_key = NULL, *key = NULL;
    gostkit_cert *ca = NULL, *leaf = NULL;
    check(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, NULL, 0, &ca_key) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, NULL, 0, &key) == GOSTKIT_STATUS_OK,
          "store crl: keys");
    check(gostkit_cert_issue(NULL, 0, "/CN=CRL test CA", NULL, ca_key, 30, GOSTKIT_ISSUE_CA, 0, &ca) == GOSTKIT_STATUS_OK,
          "store crl: CA");
    size_t n = sizeof buf;
    check(gostkit_csr_create(key, "/CN=CRL test leaf", buf, &n) == GOSTKIT_STATUS_OK &&
              gostkit_cert_issue(buf, n, NULL, ca, ca_key, 10, 0, -1, &leaf) == GOSTKIT_STATUS_OK,
          "store crl: leaf");
    n = sizeof buf;
    check(gostkit_cert_der(ca, buf, &n) == GOSTKIT_STATUS_OK &&
              gostkit_store_add(store, buf, n, GOSTKIT_STORE_ROLE_TRUSTED_ROOT) == GOSTKIT_STATUS_OK,
          "store crl: CA trusted");
    check(gostkit_store_verify_chain(store, leaf, 0, GOSTKIT_REVOCATION_WHEN_AVAILABLE, NULL) == GOSTKIT_STATUS_OK,
          "store crl: other issuers' CRLs do not affect the leaf");
    size_t idx = 99;
    check(gostkit_store_verify_chain(store, leaf, 0, GOSTKIT_REVOCATION_REQUIRED, &idx) == GOSTKIT_STATUS_CRL_MISSING &&
              idx == 0,
          "store crl: required and none from its issuer: CRL_MISSING");
    gostkit_cert_free(leaf);
    gostkit_cert_free(ca);
    gostkit_signing_key_free(key);
    gostkit_signing_key_free(ca_key);
    gostkit_store_free(store);
}

static void test_containers(const char *vectors, const char *scratch) {
    char sample[1024], path[1024], file[1100];
    static uint8_t buf[8192], msg[8192], out[8192];
    uint8_t name[64];
    size_t n, msg_len, out_len;
    bool exportable = false, has_pin = true;
    uint32_t curve = 0;
    gostkit_status st;
    snprintf(sample, sizeof sample, "%s/91team-srv000-2012-256-nginx_gost", vectors);

    /* The real sample (CSP 5.0, 2012-256 exchange key on XchA, exportable, empty PIN). */
    gostkit_container *c = NULL;
    check(gostkit_container_read(sample, &c) == GOSTKIT_STATUS_OK && c != NULL, "container: read the sample");
    check(gostkit_container_info(c, &exportable, &has_pin, &curve) == GOSTKIT_STATUS_OK && exportable && !has_pin &&
              curve == GOSTKIT_CURVE_CRYPTOPRO_XCHA, "container: sample info (exportable, no PIN, XchA)");
    check(gostkit_container_info(c, NULL, &has_pin, &curve) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "container: info with a NULL output");
    n = 0;
    check(gostkit_container_name(c, NULL, &n) == GOSTKIT_STATUS_BUFFER_TOO_SMALL && n == 4,
          "container: name size query counts the NUL");
    n = sizeof name;
    check(gostkit_container_name(c, name, &n) == GOSTKIT_STATUS_OK && n == 4 && strcmp((char *)name, "srv") == 0,
          "container: sample name");
    gostkit_cert *scert = NULL;
    check(gostkit_container_cert(c, &scert) == GOSTKIT_STATUS_OK && scert != NULL, "container: stored certificate");
    n = sizeof buf;
    check(gostkit_cert_subject(scert, buf, &n) == GOSTKIT_STATUS_OK && strcmp((char *)buf, "CN=test.91.gost.dev") == 0,
          "container: stored certificate's subject");
    gostkit_signing_key *skey = NULL;
    check(gostkit_container_open(sample, NULL, 0, &skey) == GOSTKIT_STATUS_OK && skey != NULL,
          "container: open the sample with the empty PIN");
    check(gostkit_cert_matches_key(scert, skey) == GOSTKIT_STATUS_OK, "container: key matches its certificate");
    gostkit_signing_key *k2 = NULL;
    check(gostkit_container_unlock(c, (const uint8_t *)"", 0, &k2) == GOSTKIT_STATUS_OK &&
              gostkit_cert_matches_key(scert, k2) == GOSTKIT_STATUS_OK, "container: unlock the read handle");
    gostkit_signing_key_free(k2);
    k2 = NULL;
    check(gostkit_container_open(sample, (const uint8_t *)"1234", 4, &k2) == GOSTKIT_STATUS_WRONG_PASSWORD &&
              k2 == NULL, "container: a PIN where there is none is a wrong PIN");
    check(gostkit_container_unlock(c, (const uint8_t *)"1234", 4, &k2) == GOSTKIT_STATUS_WRONG_PASSWORD && k2 == NULL,
          "container: unlock with a wrong PIN");
    gostkit_container_free(c);
    gostkit_container_free(NULL);
    c = NULL;

    /* The sample's key signs; its certificate's public key verifies the signature. */
    uint8_t sig[64];
    size_t sig_len = sizeof sig;
    gostkit_verifying_key *svk = NULL;
    check(gostkit_signing_key_sign(skey, (const uint8_t *)"container", 9, sig, &sig_len) == GOSTKIT_STATUS_OK &&
              gostkit_cert_public_key(scert, &svk) == GOSTKIT_STATUS_OK &&
              gostkit_verifying_key_verify(svk, (const uint8_t *)"container", 9, sig, sig_len) == GOSTKIT_STATUS_OK,
          "container: the sample key signs, its certificate verifies");
    gostkit_verifying_key_free(svk);
    /* A CMS message signed with the sample key and its certificate. The certificate is a TLS server
       certificate (extKeyUsage serverAuth only), which gostkit refuses for document signatures:
       KEY_USAGE. The chain's CA is not available, so the leaf itself is the trust anchor, at a time
       inside its validity (2024-03-06 .. 2024-05-05). tests/cryptopro_interop.rs has OpenSSL
       verify such a message with -noverify. */
    cms_round_trip(scert, skey, scert, 1711929600 /* 2024-04-01 */, GOSTKIT_STATUS_KEY_USAGE,
                   "container: CMS signed with the sample key (serverAuth-only certificate)");
    /* Decrypt a message encrypted to the sample's certificate with the container key. */
    const char *secret = "to the container";
    const gostkit_cert *rcpt[1] = {scert};
    msg_len = sizeof msg;
    check(gostkit_cms_encrypt(rcpt, 1, GOSTKIT_CMS_CIPHER_KUZNYECHIK_CTR_ACPKM_OMAC, (const uint8_t *)secret,
                              strlen(secret), msg, &msg_len) == GOSTKIT_STATUS_OK, "container: CMS encrypt");
    out_len = sizeof out;
    check(gostkit_cms_decrypt(scert, skey, msg, msg_len, out, &out_len) == GOSTKIT_STATUS_OK &&
              out_len == strlen(secret) && memcmp(out, secret, out_len) == 0,
          "container: CMS decrypt with the sample key");

    /* Errors: no directory, no path, NULL out. */
    snprintf(path, sizeof path, "%s/no-such.000", scratch);
    check(gostkit_container_open(path, NULL, 0, &k2) == GOSTKIT_STATUS_IO && k2 == NULL, "container: missing directory");
    check(gostkit_container_open("", NULL, 0, &k2) == GOSTKIT_STATUS_INVALID_ARGUMENT, "container: empty path");
    check(gostkit_container_open(NULL, NULL, 0, &k2) == GOSTKIT_STATUS_NULL_ARGUMENT, "container: NULL path");
    check(gostkit_container_open(sample, NULL, 0, NULL) == GOSTKIT_STATUS_NULL_ARGUMENT, "container: NULL out");
    check(gostkit_container_open(sample, NULL, 4, &k2) == GOSTKIT_STATUS_NULL_ARGUMENT, "container: NULL PIN, len 4");

    /* Create a container with a PIN, non-exportable, with a self-signed certificate; reopen it. */
    gostkit_signing_key *nk = NULL, *ok = NULL;
    gostkit_cert *ncert = NULL, *ocert = NULL;
    check(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, NULL, 0, &nk) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_TC26512_A, NULL, 0, &ok) == GOSTKIT_STATUS_OK,
          "container: keys");
    check(gostkit_cert_issue(NULL, 0, "/CN=Container Test", NULL, nk, 30, 0, -1, &ncert) == GOSTKIT_STATUS_OK &&
              gostkit_cert_issue(NULL, 0, "/CN=Container Other", NULL, ok, 30, 0, -1, &ocert) == GOSTKIT_STATUS_OK,
          "container: self-signed certificates");
    const char *pin = "12345678";
    snprintf(path, sizeof path, "%s/a.000", scratch);
    check(gostkit_container_create(path, nk, ncert, (const uint8_t *)pin, strlen(pin), "test-a", false) ==
              GOSTKIT_STATUS_OK, "container: create with a PIN");
    check(gostkit_container_create(path, nk, ncert, (const uint8_t *)pin, strlen(pin), "test-a", false) ==
              GOSTKIT_STATUS_IO, "container: an existing container is not overwritten");
    snprintf(file, sizeof file, "%s/b.000", scratch);
    check(gostkit_container_create(file, nk, ocert, NULL, 0, NULL, true) == GOSTKIT_STATUS_KEY_MISMATCH,
          "container: a certificate for another key is refused");
    check(gostkit_container_create(file, nk, NULL, NULL, 0, "\xd0\xb8\xd0\xbc\xd1\x8f", true) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT, "container: a non-ASCII name is refused");
    check(gostkit_container_read(path, &c) == GOSTKIT_STATUS_OK &&
              gostkit_container_info(c, &exportable, &has_pin, &curve) == GOSTKIT_STATUS_OK && !exportable && has_pin &&
              curve == GOSTKIT_CURVE_TC26256_A, "container: created info (PIN, not exportable, tc26-256-A)");
    n = sizeof name;
    check(gostkit_container_name(c, name, &n) == GOSTKIT_STATUS_OK && strcmp((char *)name, "test-a") == 0,
          "container: created name");
    check(gostkit_container_unlock(c, NULL, 0, &k2) == GOSTKIT_STATUS_PASSWORD_REQUIRED && k2 == NULL,
          "container: PIN required");
    check(gostkit_container_unlock(c, (const uint8_t *)"12345679", 8, &k2) == GOSTKIT_STATUS_WRONG_PASSWORD && k2 == NULL,
          "container: wrong PIN");
    gostkit_container_free(c);
    c = NULL;
    check(gostkit_container_open(path, NULL, 0, &k2) == GOSTKIT_STATUS_PASSWORD_REQUIRED, "container: open needs the PIN");
    gostkit_signing_key *rk = NULL;
    check(gostkit_container_open(path, (const uint8_t *)pin, strlen(pin), &rk) == GOSTKIT_STATUS_OK &&
              gostkit_cert_matches_key(ncert, rk) == GOSTKIT_STATUS_OK, "container: reopen with the PIN");
    /* The same key: its public key equals the one written. */
    uint8_t d1[128], d2[128];
    size_t l1 = sizeof d1, l2 = sizeof d2;
    gostkit_verifying_key *p1 = NULL, *p2 = NULL;
    check(gostkit_signing_key_public(nk, &p1) == GOSTKIT_STATUS_OK && gostkit_signing_key_public(rk, &p2) == GOSTKIT_STATUS_OK &&
              gostkit_verifying_key_to_raw(p1, d1, &l1) == GOSTKIT_STATUS_OK &&
              gostkit_verifying_key_to_raw(p2, d2, &l2) == GOSTKIT_STATUS_OK && l1 == 64 && l1 == l2 &&
              memcmp(d1, d2, l1) == 0, "container: the reopened key is the key written");
    gostkit_verifying_key_free(p1);
    gostkit_verifying_key_free(p2);
    l2 = sizeof d2;
    check(gostkit_signing_key_to_raw(rk, d2, &l2) == GOSTKIT_STATUS_UNSUPPORTED,
          "container: the key of a non-exportable container is not written out");
    cms_round_trip(ncert, rk, ncert, 0, GOSTKIT_STATUS_OK, "container: CMS signed with a created container's key");

    /* A second container without certificate or PIN, named after its directory. */
    check(gostkit_container_create(file, ok, NULL, NULL, 0, NULL, true) == GOSTKIT_STATUS_OK &&
              gostkit_container_read(file, &c) == GOSTKIT_STATUS_OK, "container: create without PIN or certificate");
    n = sizeof name;
    check(gostkit_container_name(c, name, &n) == GOSTKIT_STATUS_OK && strcmp((char *)name, "b.000") == 0,
          "container: default name is the directory's");
    gostkit_cert *none = NULL;
    check(gostkit_container_cert(c, &none) == GOSTKIT_STATUS_NOT_FOUND && none == NULL, "container: no certificate");
    check(gostkit_container_info(c, &exportable, &has_pin, &curve) == GOSTKIT_STATUS_OK && exportable && !has_pin &&
              curve == GOSTKIT_CURVE_TC26512_A, "container: 512-bit info");
    gostkit_container_free(c);
    c = NULL;
    check(gostkit_container_open(file, NULL, 0, &k2) == GOSTKIT_STATUS_OK &&
              gostkit_cert_matches_key(ocert, k2) == GOSTKIT_STATUS_OK, "container: open the 512-bit container");
    gostkit_signing_key_free(k2);
    k2 = NULL;

    /* Find in a key directory, without PINs. */
    n = 0;
    check(gostkit_container_find(scratch, ncert, NULL, &n) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
              n == strlen(path) + 1, "container: find size query");
    n = sizeof file;
    check(gostkit_container_find(scratch, ncert, (uint8_t *)file, &n) == GOSTKIT_STATUS_OK && strcmp(file, path) == 0 &&
              n == strlen(path) + 1, "container: find by certificate");
    n = sizeof file;
    check(gostkit_container_find(scratch, ocert, (uint8_t *)file, &n) == GOSTKIT_STATUS_OK &&
              strstr(file, "/b.000") != NULL, "container: find a container without certificate by key");
    n = sizeof file;
    check(gostkit_container_find(scratch, scert, (uint8_t *)file, &n) == GOSTKIT_STATUS_NOT_FOUND,
          "container: a key not in the directory");
    n = sizeof file;
    check(gostkit_container_find(vectors, scert, (uint8_t *)file, &n) == GOSTKIT_STATUS_OK &&
              strcmp(file, sample) == 0, "container: find the sample in test-vectors/cryptopro");
    snprintf(file, sizeof file, "%s/no-such-dir", scratch);
    n = sizeof buf;
    check(gostkit_container_find(file, ncert, buf, &n) == GOSTKIT_STATUS_IO, "container: find in a missing directory");

    /* Damaged files: a cut masks.key is malformed; an altered mask MAC fails the check. */
    snprintf(path, sizeof path, "%s/b.000/masks.key", scratch);
    snprintf(file, sizeof file, "%s/b.000", scratch);
    size_t masks_len = read_file(path, buf, sizeof buf);
    check(masks_len > 10 && write_file(path, buf, masks_len - 1), "container: cut masks.key");
    check(gostkit_container_open(file, NULL, 0, &k2) == GOSTKIT_STATUS_MALFORMED && k2 == NULL,
          "container: cut file is MALFORMED");
    buf[masks_len - 1] ^= 1; /* the last byte is in the 4-byte mask MAC */
    check(write_file(path, buf, masks_len), "container: altered masks.key");
    st = gostkit_container_read(file, &c);
    check(st == GOSTKIT_STATUS_AUTH_FAILED && c == NULL && gostkit_status_is_check_failure(st),
          "container: altered mask MAC is AUTH_FAILED");

    /* CryptoPro-exported PFX files: the key matches its certificate. */
    static const struct {
        const char *file, *password;
    } pfx[] = {{"pfx1.pfx", "12345"}, {"pfx2.pfx", "1234567890"}};
    for (size_t i = 0; i < sizeof pfx / sizeof pfx[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", vectors, pfx[i].file);
        size_t len = read_file(path, buf, sizeof buf);
        gostkit_signing_key *pk = NULL;
        gostkit_cert *pc = NULL;
        check(len > 0 && gostkit_pfx_import(buf, len, (const uint8_t *)pfx[i].password, strlen(pfx[i].password), &pk,
                                            &pc) == GOSTKIT_STATUS_OK &&
                  gostkit_cert_matches_key(pc, pk) == GOSTKIT_STATUS_OK,
              pfx[i].file);
        gostkit_signing_key_free(pk);
        gostkit_cert_free(pc);
        pk = NULL;
        pc = NULL;
        check(gostkit_pfx_import(buf, len, (const uint8_t *)"1", 1, &pk, &pc) == GOSTKIT_STATUS_WRONG_PASSWORD &&
                  pk == NULL && pc == NULL, "CryptoPro PFX: wrong password");
    }

    test_container_store(scratch, nk, ncert, ok, ocert);

    gostkit_cert_free(scert);
    gostkit_cert_free(ncert);
    gostkit_cert_free(ocert);
    gostkit_signing_key_free(skey);
    gostkit_signing_key_free(nk);
    gostkit_signing_key_free(ok);
    gostkit_signing_key_free(rk);
}

/* Store enumeration, finds and removal over a CA, its leaf and the peer's root. */
static void test_store_ops(gostkit_cert *ca, gostkit_cert *leaf, gostkit_cert *peer) {
    static uint8_t a[8192], b[8192];
    size_t na, nb, count = 99;
    gostkit_store *st = NULL;
    check(gostkit_store_new(&st) == GOSTKIT_STATUS_OK, "store: new");
    if (!st || !peer) return;
    na = sizeof a;
    check(gostkit_cert_encode(ca, GOSTKIT_FORMAT_PEM, a, &na) == GOSTKIT_STATUS_OK &&
              gostkit_store_add(st, a, na, GOSTKIT_STORE_ROLE_TRUSTED_ROOT) == GOSTKIT_STATUS_OK, "store: add CA (PEM)");
    na = sizeof a;
    check(gostkit_cert_encode(leaf, GOSTKIT_FORMAT_DER, a, &na) == GOSTKIT_STATUS_OK &&
              gostkit_store_add(st, a, na, GOSTKIT_STORE_ROLE_OTHER_PEOPLE) == GOSTKIT_STATUS_OK, "store: add leaf (DER)");
    static char text[4096];
    snprintf(text, sizeof text, "subject=CN = C test root, O = gostkit\nissuer=CN = C test root\n%s", peer_root_pem);
    check(gostkit_store_add(st, (const uint8_t *)text, strlen(text), GOSTKIT_STORE_ROLE_INTERMEDIATE_CA) ==
              GOSTKIT_STATUS_OK, "store: add PEM with leading text");
    check(gostkit_store_count(st, &count) == GOSTKIT_STATUS_OK && count == 3, "store: count 3");
    gostkit_cert *got = NULL;
    uint32_t role = 0;
    nb = sizeof b;
    na = sizeof a;
    check(gostkit_store_get(st, 1, &got, &role) == GOSTKIT_STATUS_OK && role == GOSTKIT_STORE_ROLE_OTHER_PEOPLE &&
              gostkit_cert_der(got, b, &nb) == GOSTKIT_STATUS_OK && gostkit_cert_der(leaf, a, &na) == GOSTKIT_STATUS_OK &&
              na == nb && memcmp(a, b, na) == 0, "store: get #1 is the leaf");
    gostkit_cert_free(got);
    got = NULL;
    check(gostkit_store_get(st, 0, &got, NULL) == GOSTKIT_STATUS_OK, "store: get #0, role NULL");
    gostkit_cert_free(got);
    got = NULL;
    check(gostkit_store_get(st, 3, &got, &role) == GOSTKIT_STATUS_NOT_FOUND && got == NULL, "store: get past end");
    /* By subject: name DER, slash DN (case and spacing folded), second match absent. */
    uint8_t name[1024];
    size_t nn = sizeof name;
    check(gostkit_cert_subject_der(leaf, name, &nn) == GOSTKIT_STATUS_OK && name[0] == 0x30, "store: leaf subject DER");
    nb = sizeof b;
    check(gostkit_store_find_by_subject(st, name, nn, 0, &got) == GOSTKIT_STATUS_OK &&
              gostkit_cert_der(got, b, &nb) == GOSTKIT_STATUS_OK && nb == na && memcmp(a, b, na) == 0,
          "store: find by subject DER");
    gostkit_cert_free(got);
    got = NULL;
    const char *slash = "/CN=leaf/O=ROMASHKA/SNILS=11223344595";
    check(gostkit_store_find_by_subject(st, (const uint8_t *)slash, strlen(slash), 0, &got) == GOSTKIT_STATUS_OK,
          "store: find by slash DN (case folded)");
    gostkit_cert_free(got);
    got = NULL;
    check(gostkit_store_find_by_subject(st, name, nn, 1, &got) == GOSTKIT_STATUS_NOT_FOUND, "store: no second match");
    check(gostkit_store_find_by_subject(st, (const uint8_t *)"CN=x", 4, 0, &got) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "store: name neither DER nor slash DN");
    check(gostkit_store_find_by_subject(st, name, nn - 1, 0, &got) == GOSTKIT_STATUS_MALFORMED, "store: truncated name DER");
    /* By issuer and serial (a leading zero byte ignored). */
    uint8_t iss[1024], ser[32];
    size_t ni = sizeof iss, ns = sizeof ser - 1;
    check(gostkit_cert_issuer_der(leaf, iss, &ni) == GOSTKIT_STATUS_OK && gostkit_cert_serial(leaf, ser + 1, &ns) ==
              GOSTKIT_STATUS_OK, "store: leaf issuer and serial");
    ser[0] = 0;
    check(gostkit_store_find_by_issuer_serial(st, iss, ni, ser + 1, ns, &got) == GOSTKIT_STATUS_OK, "store: issuer+serial");
    gostkit_cert_free(got);
    got = NULL;
    check(gostkit_store_find_by_issuer_serial(st, iss, ni, ser, ns + 1, &got) == GOSTKIT_STATUS_OK,
          "store: issuer+serial with a leading zero");
    gostkit_cert_free(got);
    got = NULL;
    ser[1] ^= 0x01;
    check(gostkit_store_find_by_issuer_serial(st, iss, ni, ser + 1, ns, &got) == GOSTKIT_STATUS_NOT_FOUND,
          "store: other serial not found");
    check(gostkit_store_find_by_issuer_serial(st, iss, ni, ser, 0, &got) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "store: empty serial");
    /* By SKI. */
    uint8_t ski[64];
    size_t nski = sizeof ski;
    nb = sizeof b;
    check(gostkit_cert_ski(leaf, ski, &nski) == GOSTKIT_STATUS_OK &&
              gostkit_store_find_by_ski(st, ski, nski, &got) == GOSTKIT_STATUS_OK &&
              gostkit_cert_der(got, b, &nb) == GOSTKIT_STATUS_OK && nb == na && memcmp(a, b, na) == 0,
          "store: find by SKI");
    gostkit_cert_free(got);
    got = NULL;
    ski[0] ^= 1;
    check(gostkit_store_find_by_ski(st, ski, nski, &got) == GOSTKIT_STATUS_NOT_FOUND, "store: other SKI");
    /* Remove by Streebog-256 thumbprint, then by SHA-1. */
    uint8_t tp[32];
    size_t ntp = sizeof tp, removed = 0;
    check(gostkit_cert_thumbprint_streebog256(leaf, tp, &ntp) == GOSTKIT_STATUS_OK &&
              gostkit_store_remove(st, tp, ntp, &removed) == GOSTKIT_STATUS_OK && removed == 1 &&
              gostkit_store_count(st, &count) == GOSTKIT_STATUS_OK && count == 2, "store: remove by Streebog thumbprint");
    check(gostkit_store_remove(st, tp, ntp, &removed) == GOSTKIT_STATUS_NOT_FOUND, "store: removed twice");
    check(gostkit_store_find_by_ski(st, ski, nski, &got) == GOSTKIT_STATUS_NOT_FOUND, "store: removed leaf gone");
    ntp = 20;
    check(gostkit_cert_thumbprint_sha1(peer, tp, &ntp) == GOSTKIT_STATUS_OK &&
              gostkit_store_remove(st, tp, ntp, NULL) == GOSTKIT_STATUS_OK &&
              gostkit_store_count(st, &count) == GOSTKIT_STATUS_OK && count == 1, "store: remove by SHA-1");
    check(gostkit_store_count(NULL, &count) == GOSTKIT_STATUS_NULL_ARGUMENT, "store: count NULL");
    gostkit_store_free(st);
}

/* Issue 16 (certificates, stores, requests, formats). DER pieces of the extensions passed to
 * gostkit_cert_issue_ex / gostkit_csr_create_ex: extKeyUsage clientAuth (RFC 5280 §4.2.1.12),
 * certificatePolicies KC1 1.2.643.100.113.1, subjectSignTool "gostkit", issuerSignTool
 * "a","b","c","d", IdentificationKind 0 (1.2.643.100.114). */
static const uint8_t ext_eku[] = {0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02};
static const uint8_t ext_pol[] = {0x30, 0x0a, 0x30, 0x08, 0x06, 0x06, 0x2a, 0x85, 0x03, 0x64, 0x71, 0x01};
static const uint8_t ext_sst[] = {0x0c, 0x07, 'g', 'o', 's', 't', 'k', 'i', 't'};
static const uint8_t ext_ist[] = {0x30, 0x0c, 0x0c, 0x01, 'a', 0x0c, 0x01, 'b', 0x0c, 0x01, 'c', 0x0c, 0x01, 'd'};
static const uint8_t ext_idk[] = {0x02, 0x01, 0x00};

/* Writes attribute `attr` #index of the subject into buf; returns the status. */
static gostkit_status subj(gostkit_cert *c, const char *attr, size_t index, char *buf, size_t cap) {
    size_t n = cap;
    gostkit_status st = gostkit_cert_subject_attr(c, attr, index, (uint8_t *)buf, &n);
    if (st == GOSTKIT_STATUS_OK && (n == 0 || buf[n - 1] != 0)) return GOSTKIT_STATUS_PANIC;
    return st;
}

static int str_is(gostkit_status st, const char *buf, const char *want) {
    return st == GOSTKIT_STATUS_OK && strcmp(buf, want) == 0;
}

/* Output formats: PEM is not NUL-terminated and *out_len is exact; DER equals the old writers. */
static void test_formats(gostkit_signing_key *k) {
    static uint8_t a[4096], b[4096];
    size_t na = sizeof a, nb = sizeof b, q = 0;
    check(gostkit_signing_key_to_pkcs8(k, GOSTKIT_FORMAT_DER, a, &na) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_to_pkcs8_der(k, b, &nb) == GOSTKIT_STATUS_OK && na == nb &&
              memcmp(a, b, na) == 0, "formats: PKCS#8 DER = to_pkcs8_der");
    check(gostkit_signing_key_to_pkcs8(k, GOSTKIT_FORMAT_PEM, NULL, &q) == GOSTKIT_STATUS_BUFFER_TOO_SMALL,
          "formats: PKCS#8 PEM size query");
    na = sizeof a;
    memset(a, 'x', sizeof a);
    check(gostkit_signing_key_to_pkcs8(k, GOSTKIT_FORMAT_PEM, a, &na) == GOSTKIT_STATUS_OK && na == q &&
              memcmp(a, "-----BEGIN PRIVATE KEY-----\n", 28) == 0 && a[na - 1] == '\n' && a[na] == 'x' &&
              memchr(a, 0, na) == NULL && memcmp(a + na - 26, "-----END PRIVATE KEY-----\n", 26) == 0,
          "formats: PKCS#8 PEM, exact length, no NUL");
    gostkit_signing_key *k2 = NULL;
    check(gostkit_signing_key_from_pkcs8(a, na, &k2) == GOSTKIT_STATUS_OK, "formats: PKCS#8 PEM reads back");
    uint8_t d1[512], d2[512];
    size_t n1 = sizeof d1, n2 = sizeof d2;
    check(k2 && gostkit_signing_key_to_pkcs8(k2, GOSTKIT_FORMAT_DER, d1, &n1) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_to_pkcs8_der(k, d2, &n2) == GOSTKIT_STATUS_OK && n1 == n2 &&
              memcmp(d1, d2, n1) == 0, "formats: PKCS#8 PEM round trip gives the same key");
    gostkit_signing_key_free(k2);
    k2 = NULL;
    na = sizeof a;
    check(gostkit_signing_key_to_pkcs8(k, 2, a, &na) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "formats: unknown format");
    /* Encrypted PKCS#8 in both formats, read back with the password. */
    const uint8_t pw[] = "пароль";
    na = sizeof a;
    check(gostkit_signing_key_to_encrypted_pkcs8_as(k, pw, sizeof pw - 1, 1000, GOSTKIT_FORMAT_DER, a, &na) ==
              GOSTKIT_STATUS_OK && a[0] == 0x30 &&
              gostkit_signing_key_from_encrypted_pkcs8(a, na, pw, sizeof pw - 1, &k2) == GOSTKIT_STATUS_OK,
          "formats: encrypted PKCS#8 DER");
    gostkit_signing_key_free(k2);
    k2 = NULL;
    check(gostkit_signing_key_from_encrypted_pkcs8(a, na, pw, 3, &k2) == GOSTKIT_STATUS_WRONG_PASSWORD,
          "formats: encrypted PKCS#8 DER, wrong password");
    na = sizeof a;
    check(gostkit_signing_key_to_encrypted_pkcs8_as(k, pw, sizeof pw - 1, 1000, GOSTKIT_FORMAT_PEM, a, &na) ==
              GOSTKIT_STATUS_OK && memcmp(a, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n", 38) == 0 &&
              a[na - 1] == '\n' && memchr(a, 0, na) == NULL &&
              gostkit_signing_key_from_encrypted_pkcs8(a, na, pw, sizeof pw - 1, &k2) == GOSTKIT_STATUS_OK,
          "formats: encrypted PKCS#8 PEM");
    gostkit_signing_key_free(k2);
    na = sizeof a;
    check(gostkit_signing_key_to_encrypted_pkcs8_as(k, pw, sizeof pw - 1, 1000, 9, a, &na) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT, "formats: encrypted, unknown format");
    /* Public key. */
    gostkit_verifying_key *vk = NULL, *vk2 = NULL;
    check(gostkit_signing_key_public(k, &vk) == GOSTKIT_STATUS_OK, "formats: public");
    na = sizeof a;
    nb = sizeof b;
    check(gostkit_verifying_key_to_spki(vk, GOSTKIT_FORMAT_DER, a, &na) == GOSTKIT_STATUS_OK &&
              gostkit_verifying_key_to_spki_der(vk, b, &nb) == GOSTKIT_STATUS_OK && na == nb &&
              memcmp(a, b, na) == 0, "formats: SPKI DER");
    na = sizeof a;
    check(gostkit_verifying_key_to_spki(vk, GOSTKIT_FORMAT_PEM, a, &na) == GOSTKIT_STATUS_OK &&
              memcmp(a, "-----BEGIN PUBLIC KEY-----\n", 27) == 0 && a[na - 1] == '\n' &&
              gostkit_verifying_key_from_spki(a, na, &vk2) == GOSTKIT_STATUS_OK, "formats: SPKI PEM");
    gostkit_verifying_key_free(vk);
    gostkit_verifying_key_free(vk2);
}

static void test_cert_details(void) {
    static uint8_t a[8192], b[8192];
    static char s[8192];
    size_t na, nb;
    gostkit_signing_key *k = NULL, *lk = NULL;
    check(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, NULL, 0, &k) == GOSTKIT_STATUS_OK &&
              gostkit_signing_key_generate(GOSTKIT_CURVE_TC26512_A, NULL, 0, &lk) == GOSTKIT_STATUS_OK,
          "details: keys");
    if (!k || !lk) return;
    test_formats(k);

    /* PEM with text before BEGIN, as `openssl ca` writes it. */
    static char text[4096];
    snprintf(text, sizeof text, "Certificate:\n    Data:\n        Version: 1 (0x0)\n"
             "        Serial Number: 4660 (0x1234)\n%s", peer_root_pem);
    gostkit_cert *peer = NULL;
    check(gostkit_cert_parse((const uint8_t *)text, strlen(text), &peer) == GOSTKIT_STATUS_OK,
          "details: PEM with leading text parses");
    na = sizeof a;
    check(peer && gostkit_cert_encode(peer, GOSTKIT_FORMAT_PEM, a, &na) == GOSTKIT_STATUS_OK &&
              na == strlen(peer_root_pem) && memcmp(a, peer_root_pem, na) == 0,
          "details: PEM out = the peer's PEM, exact length");
    na = sizeof a;
    nb = sizeof b;
    check(peer && gostkit_cert_encode(peer, GOSTKIT_FORMAT_DER, a, &na) == GOSTKIT_STATUS_OK &&
              gostkit_cert_der(peer, b, &nb) == GOSTKIT_STATUS_OK && na == nb && memcmp(a, b, na) == 0,
          "details: DER out = gostkit_cert_der");
    check(peer && gostkit_cert_key_usage(peer, (uint32_t *)a) == GOSTKIT_STATUS_NOT_FOUND,
          "details: v1 certificate has no keyUsage");
    na = sizeof a;
    check(peer && gostkit_cert_ski(peer, a, &na) == GOSTKIT_STATUS_NOT_FOUND, "details: no SKI");

    /* A CA with every attribute and the Russian extensions, explicit window and serial. */
    const char *dn = "/CN=Иванов Иван/SN=Иванов/G=Иван Иванович/T=Директор/O=Ромашка/OU=IT/L=Москва/"
                     "ST=77 Москва/C=RU/STREET=ул. Ленина, 1/E=ivanov@example.ru/INN=500100732259/"
                     "INNLE=7707329152/OGRN=1027700132195/SNILS=12345678964/"
                     "1.2.643.100.5=#120f333034353030313136303030313537/OU=Security";
    const uint8_t serial[] = {0x01, 0x02, 0x03};
    gostkit_extension exts[] = {
        {"2.5.29.37", false, ext_eku, sizeof ext_eku},
        {"2.5.29.32", false, ext_pol, sizeof ext_pol},
        {"1.2.643.100.111", false, ext_sst, sizeof ext_sst},
        {"1.2.643.100.112", false, ext_ist, sizeof ext_ist},
        {"1.2.643.100.114", false, ext_idk, sizeof ext_idk},
    };
    gostkit_issue_params p = {1893456000, 1893456000 + 10 * 86400, serial, sizeof serial, GOSTKIT_ISSUE_CA, 1,
                              GOSTKIT_KEY_USAGE_DIGITAL_SIGNATURE | GOSTKIT_KEY_USAGE_KEY_CERT_SIGN |
                                  GOSTKIT_KEY_USAGE_CRL_SIGN,
                              exts, 5};
    gostkit_cert *ca = NULL;
    check(gostkit_cert_issue_ex(NULL, 0, dn, NULL, k, &p, &ca) == GOSTKIT_STATUS_OK && ca != NULL,
          "details: issue_ex self-signed CA");
    if (!ca) return;
    check(gostkit_cert_verify_signed_by(ca, ca) == GOSTKIT_STATUS_OK, "details: CA self-signature");
    int64_t nbf = 0, naf = 0;
    check(gostkit_cert_validity(ca, &nbf, &naf) == GOSTKIT_STATUS_OK && nbf == 1893456000 &&
              naf == 1893456000 + 10 * 86400, "details: explicit validity window");
    na = sizeof a;
    check(gostkit_cert_serial(ca, a, &na) == GOSTKIT_STATUS_OK && na == 3 && memcmp(a, serial, 3) == 0,
          "details: explicit serial");
    check(str_is(subj(ca, "CN", 0, s, sizeof s), s, "Иванов Иван"), "details: CN");
    check(str_is(subj(ca, "SN", 0, s, sizeof s), s, "Иванов"), "details: SN");
    check(str_is(subj(ca, "GN", 0, s, sizeof s), s, "Иван Иванович"), "details: GN (written as G=)");
    check(str_is(subj(ca, "g", 0, s, sizeof s), s, "Иван Иванович"), "details: G alias, lower case");
    check(str_is(subj(ca, "T", 0, s, sizeof s), s, "Директор"), "details: T");
    check(str_is(subj(ca, "O", 0, s, sizeof s), s, "Ромашка"), "details: O");
    check(str_is(subj(ca, "OU", 0, s, sizeof s), s, "IT"), "details: OU #0");
    check(str_is(subj(ca, "OU", 1, s, sizeof s), s, "Security"), "details: OU #1");
    check(subj(ca, "OU", 2, s, sizeof s) == GOSTKIT_STATUS_NOT_FOUND, "details: OU #2 absent");
    check(str_is(subj(ca, "L", 0, s, sizeof s), s, "Москва"), "details: L");
    check(str_is(subj(ca, "ST", 0, s, sizeof s), s, "77 Москва"), "details: ST");
    check(str_is(subj(ca, "C", 0, s, sizeof s), s, "RU"), "details: C");
    check(str_is(subj(ca, "STREET", 0, s, sizeof s), s, "ул. Ленина, 1"), "details: STREET");
    check(str_is(subj(ca, "E", 0, s, sizeof s), s, "ivanov@example.ru"), "details: E");
    check(str_is(subj(ca, "INN", 0, s, sizeof s), s, "500100732259"), "details: INN");
    check(str_is(subj(ca, "INNLE", 0, s, sizeof s), s, "7707329152"), "details: INNLE");
    check(str_is(subj(ca, "OGRN", 0, s, sizeof s), s, "1027700132195"), "details: OGRN");
    check(str_is(subj(ca, "OGRNIP", 0, s, sizeof s), s, "304500116000157"), "details: OGRNIP (from #hex)");
    check(str_is(subj(ca, "1.2.643.100.5", 0, s, sizeof s), s, "304500116000157"), "details: OGRNIP by OID");
    check(str_is(subj(ca, "SNILS", 0, s, sizeof s), s, "12345678964"), "details: SNILS");
    check(subj(ca, "XX", 0, s, sizeof s) == GOSTKIT_STATUS_INVALID_ARGUMENT, "details: unknown attribute name");
    check(subj(ca, NULL, 0, s, sizeof s) == GOSTKIT_STATUS_NULL_ARGUMENT, "details: NULL attribute name");
    na = 3;
    check(gostkit_cert_subject_attr(ca, "CN", 0, a, &na) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
              na == strlen("Иванов Иван") + 1, "details: attribute size query");
    na = sizeof s;
    check(gostkit_cert_issuer_attr(ca, "SNILS", 0, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK &&
              strcmp(s, "12345678964") == 0, "details: issuer SNILS");
    na = sizeof s;
    check(gostkit_cert_subject(ca, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK &&
              strstr(s, "INN=500100732259") && strstr(s, "SNILS=12345678964") && strstr(s, "OGRN=1027700132195") &&
              strstr(s, "OGRNIP=304500116000157") && strstr(s, "INNLE=7707329152") && !strstr(s, "1.2.643.3.131"),
          "details: subject DN names INN, SNILS, OGRN, OGRNIP");
    /* Extensions. */
    uint32_t ku = 0;
    check(gostkit_cert_key_usage(ca, &ku) == GOSTKIT_STATUS_OK &&
              ku == (GOSTKIT_KEY_USAGE_DIGITAL_SIGNATURE | GOSTKIT_KEY_USAGE_KEY_CERT_SIGN | GOSTKIT_KEY_USAGE_CRL_SIGN),
          "details: keyUsage bits as given");
    na = sizeof s;
    check(gostkit_cert_ext_key_usage(ca, 0, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK &&
              strcmp(s, "1.3.6.1.5.5.7.3.2") == 0 && na == 18, "details: EKU #0");
    na = sizeof s;
    check(gostkit_cert_ext_key_usage(ca, 1, (uint8_t *)s, &na) == GOSTKIT_STATUS_NOT_FOUND, "details: EKU #1 absent");
    na = sizeof s;
    check(gostkit_cert_policy(ca, 0, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK && strcmp(s, "1.2.643.100.113.1") == 0,
          "details: policy KC1");
    bool is_ca = false;
    int32_t pl = -2;
    check(gostkit_cert_basic_constraints(ca, &is_ca, &pl) == GOSTKIT_STATUS_OK && is_ca && pl == 1,
          "details: basicConstraints CA pathLen 1");
    na = sizeof s;
    check(gostkit_cert_subject_sign_tool(ca, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK && strcmp(s, "gostkit") == 0,
          "details: subjectSignTool");
    for (size_t i = 0; i < 4; i++) {
        na = sizeof s;
        check(gostkit_cert_issuer_sign_tool(ca, i, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK && s[0] == (char)('a' + i) &&
                  s[1] == 0, "details: issuerSignTool field");
    }
    na = sizeof s;
    check(gostkit_cert_issuer_sign_tool(ca, 4, (uint8_t *)s, &na) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "details: issuerSignTool index 4");
    uint32_t idk = 9;
    check(gostkit_cert_identification_kind(ca, &idk) == GOSTKIT_STATUS_OK && idk == 0, "details: IdentificationKind");
    uint8_t ski[64], aki[64];
    size_t nski = sizeof ski, naki = sizeof aki;
    check(gostkit_cert_ski(ca, ski, &nski) == GOSTKIT_STATUS_OK && nski == 20 &&
              gostkit_cert_aki(ca, aki, &naki) == GOSTKIT_STATUS_OK && naki == 20 && memcmp(ski, aki, 20) == 0,
          "details: SKI = AKI for a self-signed CA");
    bool valid = false;
    check(gostkit_cert_subject_id_check(ca, GOSTKIT_RU_ID_INN, &valid) == GOSTKIT_STATUS_OK && valid,
          "details: INN check digits right");
    check(gostkit_cert_subject_id_check(ca, GOSTKIT_RU_ID_SNILS, &valid) == GOSTKIT_STATUS_OK && valid,
          "details: SNILS check digits right");
    check(gostkit_cert_subject_id_check(ca, 9, &valid) == GOSTKIT_STATUS_INVALID_ARGUMENT, "details: id check, bad which");
    /* JSON: the same text as `gostkit x509 show --json`. */
    na = 0;
    check(gostkit_cert_json(ca, NULL, &na) == GOSTKIT_STATUS_BUFFER_TOO_SMALL && na > 100, "details: JSON size query");
    nb = sizeof s;
    check(gostkit_cert_json(ca, (uint8_t *)s, &nb) == GOSTKIT_STATUS_OK && nb == na && strlen(s) + 1 == nb &&
              s[0] == '{' && strstr(s, "\"INN\": \"500100732259\"") && strstr(s, "\"serial\": \"10203\"") &&
              strstr(s, "\"ca\": true") && strstr(s, "\"path_len\": 1") &&
              strstr(s, "\"ext_key_usage\": [\"1.3.6.1.5.5.7.3.2\"]") &&
              strstr(s, "\"issuer_sign_tool\": [\"a\", \"b\", \"c\", \"d\"]") &&
              strstr(s, "\"not_before\": \"2030-01-01T00:00:00Z\"") &&
              strstr(s, "\"OU\": [\"IT\", \"Security\"]") && strstr(s, "\"INN\": true"),
          "details: JSON content");

    /* A wrong INN check digit is reported (the attribute written as #hex DER). */
    gostkit_cert *bad = NULL;
    p.serial = NULL;
    p.serial_len = 0;
    p.extensions_len = 0;
    p.key_usage = 0;
    check(gostkit_cert_issue_ex(NULL, 0, "/CN=Bad INN/1.2.643.3.131.1.1=#120c353030313030373332323538", NULL, k, &p,
                                &bad) == GOSTKIT_STATUS_OK, "details: certificate with a wrong INN");
    valid = true;
    check(bad && gostkit_cert_subject_id_check(bad, GOSTKIT_RU_ID_INN, &valid) == GOSTKIT_STATUS_OK && !valid,
          "details: wrong INN check digit reported");
    check(bad && gostkit_cert_subject_id_check(bad, GOSTKIT_RU_ID_OGRN, &valid) == GOSTKIT_STATUS_NOT_FOUND,
          "details: absent OGRN");
    na = sizeof s;
    check(bad && gostkit_cert_json(bad, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK &&
              strstr(s, "\"subject_id_checks\": {\"INN\": false}"), "details: JSON reports the wrong INN");
    ku = 0;
    check(bad && gostkit_cert_key_usage(bad, &ku) == GOSTKIT_STATUS_OK &&
              ku == (GOSTKIT_KEY_USAGE_KEY_CERT_SIGN | GOSTKIT_KEY_USAGE_CRL_SIGN), "details: CA profile keyUsage");
    na = sizeof s;
    check(bad && gostkit_cert_subject_sign_tool(bad, (uint8_t *)s, &na) == GOSTKIT_STATUS_NOT_FOUND,
          "details: no subjectSignTool");
    gostkit_cert_free(bad);

    /* Zero-day validity and bad parameters are refused. */
    gostkit_cert *none = NULL;
    p.not_after = p.not_before;
    check(gostkit_cert_issue_ex(NULL, 0, "/CN=Zero", NULL, k, &p, &none) == GOSTKIT_STATUS_INVALID_ARGUMENT &&
              none == NULL, "details: zero-day validity refused");
    check(gostkit_cert_issue(NULL, 0, "/CN=Zero", NULL, k, 0, 0, -1, &none) == GOSTKIT_STATUS_INVALID_ARGUMENT &&
              none == NULL, "details: gostkit_cert_issue with 0 days refused");
    p.not_after = p.not_before + 86400;
    const uint8_t neg[] = {0x80};
    p.serial = neg;
    p.serial_len = 1;
    check(gostkit_cert_issue_ex(NULL, 0, "/CN=Neg", NULL, k, &p, &none) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "details: negative serial refused");
    p.serial = NULL;
    p.serial_len = 0;
    p.key_usage = 1u << 12;
    check(gostkit_cert_issue_ex(NULL, 0, "/CN=KU", NULL, k, &p, &none) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "details: unknown keyUsage bit refused");
    p.key_usage = 0;
    gostkit_extension dup[] = {{"2.5.29.37", false, ext_eku, sizeof ext_eku}, {"2.5.29.37", true, ext_eku, sizeof ext_eku}};
    p.extensions = dup;
    p.extensions_len = 2;
    check(gostkit_cert_issue_ex(NULL, 0, "/CN=Dup", NULL, k, &p, &none) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "details: duplicate extension refused");
    gostkit_extension notder[] = {{"2.5.29.37", false, ext_eku, 5}};
    p.extensions = notder;
    p.extensions_len = 1;
    check(gostkit_cert_issue_ex(NULL, 0, "/CN=Cut", NULL, k, &p, &none) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "details: truncated extension value refused");
    gostkit_extension badoid[] = {{"2.5.x", false, ext_eku, sizeof ext_eku}};
    p.extensions = badoid;
    check(gostkit_cert_issue_ex(NULL, 0, "/CN=Oid", NULL, k, &p, &none) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "details: bad extension OID refused");
    check(gostkit_cert_issue_ex(NULL, 0, "/CN=Oid", NULL, k, NULL, &none) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "details: NULL params");
    p.extensions = NULL;
    p.extensions_len = 0;

    /* A request with a requested extension: built, parsed, inspected, verified, issued from. */
    gostkit_extension req_ext[] = {{"2.5.29.37", true, ext_eku, sizeof ext_eku}};
    size_t ncsr = sizeof a;
    check(gostkit_csr_create_ex(lk, "/CN=Leaf/O=Romashka/SNILS=11223344595", req_ext, 1, GOSTKIT_FORMAT_DER, a,
                                &ncsr) == GOSTKIT_STATUS_OK && a[0] == 0x30, "csr: create_ex DER");
    gostkit_csr *csr = NULL;
    check(gostkit_csr_parse(a, ncsr, &csr) == GOSTKIT_STATUS_OK && csr, "csr: parse DER");
    if (csr) {
        check(gostkit_csr_verify(csr) == GOSTKIT_STATUS_OK, "csr: signature verifies");
        na = sizeof s;
        check(gostkit_csr_subject(csr, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK &&
                  strcmp(s, "SNILS=11223344595,O=Romashka,CN=Leaf") == 0, "csr: subject");
        na = sizeof s;
        check(gostkit_csr_subject_attr(csr, "SNILS", 0, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK &&
                  strcmp(s, "11223344595") == 0, "csr: SNILS");
        size_t cnt = 0;
        check(gostkit_csr_extension_count(csr, &cnt) == GOSTKIT_STATUS_OK && cnt == 1, "csr: one requested extension");
        uint8_t val[64];
        size_t no = 2, nv = 1;
        bool crit = false;
        check(gostkit_csr_extension(csr, 0, (uint8_t *)s, &no, &crit, val, &nv) == GOSTKIT_STATUS_BUFFER_TOO_SMALL &&
                  no == 10 && nv == sizeof ext_eku, "csr: extension size query gives both sizes");
        no = sizeof s;
        nv = sizeof val;
        check(gostkit_csr_extension(csr, 0, (uint8_t *)s, &no, &crit, val, &nv) == GOSTKIT_STATUS_OK &&
                  strcmp(s, "2.5.29.37") == 0 && no == 10 && crit && nv == sizeof ext_eku &&
                  memcmp(val, ext_eku, nv) == 0, "csr: extension OID, critical, value");
        no = sizeof s;
        nv = sizeof val;
        check(gostkit_csr_extension(csr, 1, (uint8_t *)s, &no, &crit, val, &nv) == GOSTKIT_STATUS_NOT_FOUND,
              "csr: extension #1 absent");
        gostkit_verifying_key *cvk = NULL, *lvk = NULL;
        uint8_t r1[128], r2[128];
        size_t n1 = sizeof r1, n2 = sizeof r2;
        check(gostkit_csr_public_key(csr, &cvk) == GOSTKIT_STATUS_OK && gostkit_signing_key_public(lk, &lvk) == GOSTKIT_STATUS_OK &&
                  gostkit_verifying_key_to_raw(cvk, r1, &n1) == GOSTKIT_STATUS_OK &&
                  gostkit_verifying_key_to_raw(lvk, r2, &n2) == GOSTKIT_STATUS_OK && n1 == 128 && n1 == n2 &&
                  memcmp(r1, r2, n1) == 0, "csr: public key is the signer's");
        gostkit_verifying_key_free(cvk);
        gostkit_verifying_key_free(lvk);
        /* PEM out (with leading text) reads back to the same DER. */
        static char pem_text[8192];
        strcpy(pem_text, "Some explanatory text\n");
        na = sizeof pem_text - strlen(pem_text);
        check(gostkit_csr_encode(csr, GOSTKIT_FORMAT_PEM, (uint8_t *)pem_text + strlen(pem_text), &na) ==
                  GOSTKIT_STATUS_OK, "csr: PEM out");
        size_t total = strlen("Some explanatory text\n") + na;
        check(pem_text[total - 1] == '\n' && memcmp(pem_text + 22, "-----BEGIN CERTIFICATE REQUEST-----\n", 36) == 0,
              "csr: PEM shape");
        gostkit_csr *csr2 = NULL;
        nb = sizeof b;
        check(gostkit_csr_parse((const uint8_t *)pem_text, total, &csr2) == GOSTKIT_STATUS_OK &&
                  gostkit_csr_encode(csr2, GOSTKIT_FORMAT_DER, b, &nb) == GOSTKIT_STATUS_OK && nb == ncsr &&
                  memcmp(a, b, nb) == 0, "csr: PEM with leading text reads back");
        gostkit_csr_free(csr2);
        /* Issued from the request: window, requested extension copied, AKI = the CA's SKI. */
        gostkit_cert *leaf = NULL;
        p.flags = 0;
        p.path_len = -1;
        check(gostkit_cert_issue_ex(a, ncsr, NULL, ca, k, &p, &leaf) == GOSTKIT_STATUS_OK && leaf,
              "csr: issue_ex from the request");
        if (leaf) {
            check(gostkit_cert_verify_signed_by(leaf, ca) == GOSTKIT_STATUS_OK, "csr: leaf signed by the CA");
            naki = sizeof aki;
            check(gostkit_cert_aki(leaf, aki, &naki) == GOSTKIT_STATUS_OK && naki == 20 && memcmp(aki, ski, 20) == 0,
                  "csr: leaf AKI = CA SKI");
            na = sizeof s;
            check(gostkit_cert_ext_key_usage(leaf, 0, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK &&
                      strcmp(s, "1.3.6.1.5.5.7.3.2") == 0, "csr: requested EKU copied");
            check(gostkit_cert_basic_constraints(leaf, &is_ca, &pl) == GOSTKIT_STATUS_OK && !is_ca && pl == -1,
                  "csr: leaf is not a CA");
            na = sizeof s;
            check(gostkit_cert_issuer_attr(leaf, "INN", 0, (uint8_t *)s, &na) == GOSTKIT_STATUS_OK &&
                      strcmp(s, "500100732259") == 0, "csr: leaf issuer INN");
            test_store_ops(ca, leaf, peer);
            gostkit_cert_free(leaf);
        }
        /* One flipped signature bit: parses, fails verification and issuing. */
        a[ncsr - 2] ^= 1;
        gostkit_csr *forged = NULL;
        check(gostkit_csr_parse(a, ncsr, &forged) == GOSTKIT_STATUS_OK &&
                  gostkit_csr_verify(forged) == GOSTKIT_STATUS_BAD_SIGNATURE, "csr: flipped bit, bad signature");
        check(gostkit_cert_issue_ex(a, ncsr, NULL, ca, k, &p, &none) == GOSTKIT_STATUS_BAD_SIGNATURE && none == NULL,
              "csr: forged request not issued");
        gostkit_csr_free(forged);
        forged = NULL;
        check(gostkit_csr_parse(a, ncsr - 1, &forged) == GOSTKIT_STATUS_MALFORMED && forged == NULL,
              "csr: truncated request");
        check(gostkit_csr_verify(NULL) == GOSTKIT_STATUS_NULL_ARGUMENT, "csr: verify NULL");
        gostkit_csr_free(csr);
    }
    na = sizeof a;
    check(gostkit_csr_create_ex(lk, "/CN=x", NULL, 0, 5, a, &na) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "csr: unknown format");
    na = sizeof a;
    check(gostkit_csr_create_ex(lk, "/CN=x", NULL, 0, GOSTKIT_FORMAT_PEM, a, &na) == GOSTKIT_STATUS_OK &&
              memcmp(a, "-----BEGIN CERTIFICATE REQUEST-----\n", 36) == 0 && a[na - 1] == '\n',
          "csr: create_ex PEM");
    gostkit_csr_free(NULL);
    gostkit_cert_free(ca);
    gostkit_cert_free(peer);
    gostkit_signing_key_free(k);
    gostkit_signing_key_free(lk);
}

/* Keys on a PKCS#11 token through the gostkit module, the token prepared by run.sh with OpenSC's
 * pkcs11-tool (the independent client): label CAPI, user PIN 12345678, and a 512-bit key pair
 * "peer512" (CKA_ID 02) generated by pkcs11-tool itself. The token keys sign, issue, request and
 * decrypt like keys in memory; their private value cannot be exported. */
static void test_token_keys(const char *module) {
    const uint8_t pin[] = "12345678";
    const size_t pin_len = 8;
    gostkit_signing_key *k256 = NULL, *k512 = NULL, *bad = NULL, *rk = NULL;
    gostkit_cert *root = NULL, *leaf = NULL, *self512 = NULL, *stored = NULL;
    gostkit_store *store = NULL;
    static uint8_t csr[4096], msg[16384], out[8192], der1[4096], der2[4096];
    size_t n, msg_len, out_len;
    const uint8_t doc[] = "declaration signed on a token";

    check(gostkit_token_key_open("pkcs11:token=CAPI;object=peer512", module, (const uint8_t *)"00000000", 8, &bad) ==
              GOSTKIT_STATUS_WRONG_PASSWORD && bad == NULL, "token: wrong PIN");
    check(gostkit_token_key_open("pkcs11:token=CAPI;object=nobody", module, pin, pin_len, &bad) ==
              GOSTKIT_STATUS_NOT_FOUND && bad == NULL, "token: no such key");
    check(gostkit_token_key_open("pkcs11:token=NOPE;object=peer512", module, pin, pin_len, &bad) ==
              GOSTKIT_STATUS_NOT_FOUND, "token: no such token");
    check(gostkit_token_key_open("https://example/", module, pin, pin_len, &bad) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "token: not a pkcs11 URI");
    check(gostkit_token_key_open("pkcs11:object=peer512", "/nonexistent/module.so", pin, pin_len, &bad) ==
              GOSTKIT_STATUS_IO, "token: a module that cannot be loaded");
    check(gostkit_token_key_open(NULL, module, pin, pin_len, &bad) == GOSTKIT_STATUS_NULL_ARGUMENT,
          "token: NULL uri");

    /* A key pair generated through the C ABI, and the peer's key. */
    check(gostkit_token_key_generate("pkcs11:token=CAPI;object=capi256;id=%01", module, pin, pin_len,
                                     GOSTKIT_CURVE_TC26256_A, &k256) == GOSTKIT_STATUS_OK && k256 != NULL,
          "token: generate a 256-bit key pair");
    check(gostkit_token_key_generate("pkcs11:token=CAPI;object=again;id=%01", module, pin, pin_len,
                                     GOSTKIT_CURVE_TC26256_A, &bad) == GOSTKIT_STATUS_INVALID_ARGUMENT && bad == NULL,
          "token: generate refuses an id already in use");
    check(gostkit_token_key_generate("pkcs11:token=CAPI;object=noid", module, pin, pin_len,
                                     GOSTKIT_CURVE_TC26256_A, &bad) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "token: generate needs an id");
    check(gostkit_token_key_open("pkcs11:token=CAPI;object=peer512", module, pin, pin_len, &k512) ==
              GOSTKIT_STATUS_OK && k512 != NULL, "token: open the key pkcs11-tool generated");

    /* The CA wizard's path: request from the token key, issued by a CA, installed on the token. */
    check(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26512_A, NULL, 0, &rk) == GOSTKIT_STATUS_OK &&
              gostkit_cert_issue(NULL, 0, "/CN=Token CA", NULL, rk, 30, GOSTKIT_ISSUE_CA, 0, &root) ==
                  GOSTKIT_STATUS_OK, "token: a CA in memory");
    n = sizeof csr;
    check(gostkit_csr_create(k256, "/CN=Token user/INN=007701234560", csr, &n) == GOSTKIT_STATUS_OK,
          "token: request signed by the token key");
    {
        gostkit_csr *req = NULL;
        check(gostkit_csr_parse(csr, n, &req) == GOSTKIT_STATUS_OK && gostkit_csr_verify(req) == GOSTKIT_STATUS_OK,
              "token: the request's signature verifies");
        gostkit_csr_free(req);
    }
    check(gostkit_cert_issue(csr, n, NULL, root, rk, 10, 0, -1, &leaf) == GOSTKIT_STATUS_OK &&
              gostkit_cert_matches_key(leaf, k256) == GOSTKIT_STATUS_OK &&
              gostkit_cert_matches_key(leaf, k512) == GOSTKIT_STATUS_KEY_MISMATCH,
          "token: certificate issued for the token key");
    check(gostkit_token_key_certificate(k256, &stored) == GOSTKIT_STATUS_NOT_FOUND && stored == NULL,
          "token: no certificate next to the key yet");
    check(gostkit_token_key_store_certificate(k256, root, NULL) == GOSTKIT_STATUS_KEY_MISMATCH,
          "token: another key's certificate is refused");
    check(gostkit_token_key_store_certificate(rk, leaf, NULL) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "token: store_certificate needs a token key");
    check(gostkit_token_key_store_certificate(k256, leaf, "Token user") == GOSTKIT_STATUS_OK,
          "token: install the certificate next to the key");
    {
        size_t l1 = sizeof der1, l2 = sizeof der2;
        check(gostkit_token_key_certificate(k256, &stored) == GOSTKIT_STATUS_OK &&
                  gostkit_cert_der(stored, der1, &l1) == GOSTKIT_STATUS_OK &&
                  gostkit_cert_der(leaf, der2, &l2) == GOSTKIT_STATUS_OK && l1 == l2 && memcmp(der1, der2, l1) == 0,
              "token: the certificate read back is the one installed");
        gostkit_cert_free(stored);
        stored = NULL;
    }
    check(gostkit_token_key_certificate(rk, &stored) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "token: certificate of a key in memory");

    /* Sign with the token key; verify against the CA. */
    check(gostkit_store_new(&store) == GOSTKIT_STATUS_OK, "token: store");
    n = sizeof der1;
    check(gostkit_cert_der(root, der1, &n) == GOSTKIT_STATUS_OK &&
              gostkit_store_add(store, der1, n, GOSTKIT_STORE_ROLE_TRUSTED_ROOT) == GOSTKIT_STATUS_OK,
          "token: trust the CA");
    msg_len = sizeof msg;
    check(gostkit_cms_sign(leaf, k256, doc, sizeof doc, 0, msg, &msg_len) == GOSTKIT_STATUS_OK,
          "token: CMS signed by the token key");
    uint32_t sts[2];
    n = 2;
    check(gostkit_cms_verify(msg, msg_len, NULL, 0, store, 0, GOSTKIT_REVOCATION_OFF, sts, &n) == GOSTKIT_STATUS_OK &&
              n == 1 && sts[0] == GOSTKIT_STATUS_OK, "token: the token's CMS signature verifies");
    {
        gostkit_signing_key *shared = NULL;
        uint8_t m2[16384];
        size_t m2_len = sizeof m2;
        check(gostkit_signing_key_share(k256, &shared) == GOSTKIT_STATUS_OK &&
                  gostkit_cms_sign(leaf, shared, doc, sizeof doc, GOSTKIT_CMS_DETACHED, m2, &m2_len) ==
                      GOSTKIT_STATUS_OK, "token: a shared token key handle signs");
        gostkit_signing_key_free(shared);
        n = 2;
        check(gostkit_cms_verify(m2, m2_len, doc, sizeof doc, store, 0, GOSTKIT_REVOCATION_OFF, sts, &n) ==
                  GOSTKIT_STATUS_OK, "token: the detached signature verifies");
    }

    /* Decrypt on the token (VKO on the token, KEG for a 256-bit key). */
    {
        const gostkit_cert *rcpt[1] = {leaf};
        msg_len = sizeof msg;
        check(gostkit_cms_encrypt(rcpt, 1, GOSTKIT_CMS_CIPHER_KUZNYECHIK_CTR_ACPKM_OMAC, doc, sizeof doc, msg,
                                  &msg_len) == GOSTKIT_STATUS_OK, "token: encrypt to the token key's certificate");
        out_len = sizeof out;
        check(gostkit_cms_decrypt(leaf, k256, msg, msg_len, out, &out_len) == GOSTKIT_STATUS_OK &&
                  out_len == sizeof doc && memcmp(out, doc, out_len) == 0, "token: decrypted by the token key");
    }

    /* The peer's 512-bit key: raw signatures checked with its public key; a self-signed certificate. */
    {
        gostkit_verifying_key *pub = NULL;
        uint8_t sig[128];
        size_t sig_len = sizeof sig;
        check(gostkit_signing_key_public(k512, &pub) == GOSTKIT_STATUS_OK &&
                  gostkit_signing_key_sign(k512, doc, sizeof doc, sig, &sig_len) == GOSTKIT_STATUS_OK &&
                  sig_len == 128 && gostkit_verifying_key_verify(pub, doc, sizeof doc, sig, sig_len) == GOSTKIT_STATUS_OK,
              "token: the peer's 512-bit key signs, its public key verifies");
        sig[5] ^= 1;
        check(gostkit_verifying_key_verify(pub, doc, sizeof doc, sig, sig_len) == GOSTKIT_STATUS_BAD_SIGNATURE,
              "token: a flipped bit fails");
        gostkit_verifying_key_free(pub);
        check(gostkit_cert_issue(NULL, 0, "/CN=Peer 512", NULL, k512, 10, 0, -1, &self512) == GOSTKIT_STATUS_OK &&
                  gostkit_cert_matches_key(self512, k512) == GOSTKIT_STATUS_OK,
              "token: a self-signed certificate from the peer's key");
    }

    /* The private value stays on the token. */
    n = sizeof out;
    check(gostkit_signing_key_to_pkcs8_der(k256, out, &n) == GOSTKIT_STATUS_UNSUPPORTED &&
              strstr(gostkit_last_error(), "token") != NULL, "token: PKCS#8 export refused, saying why");
    n = sizeof out;
    check(gostkit_signing_key_to_raw(k512, out, &n) == GOSTKIT_STATUS_UNSUPPORTED, "token: raw export refused");
    n = sizeof out;
    check(gostkit_pfx_export(leaf, k256, (const uint8_t *)"pw", 2, out, &n) == GOSTKIT_STATUS_UNSUPPORTED,
          "token: PFX export refused");

    gostkit_store_free(store);
    gostkit_cert_free(self512);
    gostkit_cert_free(leaf);
    gostkit_cert_free(root);
    gostkit_signing_key_free(rk);
    gostkit_signing_key_free(k512);
    gostkit_signing_key_free(k256);
}

/* Long-term validation against OpenSSL (run.sh prepares the fixtures in $GOSTKIT_LTV_DIR with
 * openssl + gost-engine: a CA, a TSA certificate with a critical timeStamping EKU, a delegated
 * OCSP responder, a good and a revoked signer, an OCSP index and a TSA config). Requests built
 * through the C ABI are answered by `openssl ts -reply` and the one-shot `openssl ocsp -index`
 * responder, run here with system(); a token of the C ABI's TSA is checked by `openssl ts
 * -verify`. */
struct ltv_peer {
    const char *dir;
    int tsa_calls, ocsp_calls, fail;
};

static uint8_t ltv_buf[1 << 16];

/* Writes `req` to DIR/IN, runs `cmd` in DIR, returns the length of DIR/OUT read into ltv_buf
 * (0 on any failure). */
static size_t ltv_exchange(const char *dir, const char *in, const char *out, const char *cmd, const uint8_t *req,
                           size_t len) {
    char path[1024], line[3072];
    snprintf(path, sizeof path, "%s/%s", dir, in);
    if (!write_file(path, req, len)) return 0;
    snprintf(path, sizeof path, "%s/%s", dir, out);
    remove(path);
    snprintf(line, sizeof line, "cd '%s' && %s >/dev/null 2>&1", dir, cmd);
    if (system(line) != 0) return 0;
    return read_file(path, ltv_buf, sizeof ltv_buf);
}

static const char *ltv_ts_reply = "openssl ts -reply -config tsa.cnf -queryfile ltv.tsq -out ltv.tsr";
static const char *ltv_ocsp_reply =
    "openssl ocsp -index index.txt -rsigner ocsp.pem -rkey ocsp.key -CA ca.pem -reqin ltv.ocq -respout ltv.ocr -ndays 1";

static int32_t ltv_tsa_cb(void *ctx, const uint8_t *req, size_t len, gostkit_response_sink *sink) {
    struct ltv_peer *p = ctx;
    p->tsa_calls++;
    if (p->fail) return 7;
    size_t n = ltv_exchange(p->dir, "ltv.tsq", "ltv.tsr", ltv_ts_reply, req, len);
    return n && gostkit_response_sink_write(sink, ltv_buf, n) == GOSTKIT_STATUS_OK ? 0 : 1;
}

static int32_t ltv_ocsp_cb(void *ctx, const uint8_t *req, size_t len, gostkit_response_sink *sink) {
    struct ltv_peer *p = ctx;
    p->ocsp_calls++;
    size_t n = ltv_exchange(p->dir, "ltv.ocq", "ltv.ocr", ltv_ocsp_reply, req, len);
    /* In two pieces: the sink appends. */
    if (!n || gostkit_response_sink_write(sink, ltv_buf, n / 2) != GOSTKIT_STATUS_OK) return 1;
    return gostkit_response_sink_write(sink, ltv_buf + n / 2, n - n / 2) == GOSTKIT_STATUS_OK ? 0 : 1;
}

static gostkit_cert *ltv_cert(const char *dir, const char *name) {
    char path[1024];
    static uint8_t b[8192];
    gostkit_cert *c = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n = read_file(path, b, sizeof b);
    if (!n || gostkit_cert_parse(b, n, &c) != GOSTKIT_STATUS_OK) return NULL;
    return c;
}

static gostkit_signing_key *ltv_key(const char *dir, const char *name) {
    char path[1024];
    static uint8_t b[8192];
    gostkit_signing_key *k = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n = read_file(path, b, sizeof b);
    if (!n || gostkit_signing_key_from_pkcs8(b, n, &k) != GOSTKIT_STATUS_OK) k = NULL;
    memset(b, 0, sizeof b);
    return k;
}

static int near_now(int64_t t) {
    int64_t now = (int64_t)time(NULL);
    return t > now - 600 && t <= now + 60;
}

/* Verifies `msg` offline and checks the one signer's status, level and time basis. */
static void ltv_expect(const gostkit_buffer *msg, const gostkit_store *store, uint32_t revocation,
                       gostkit_status want, uint32_t want_level, const char *what) {
    char name[256];
    gostkit_cms_verify_result *res = NULL;
    gostkit_status st = gostkit_cms_verify_ltv(gostkit_buffer_data(msg), gostkit_buffer_len(msg), NULL, 0, store,
                                               revocation, &res);
    snprintf(name, sizeof name, "ltv: %s verifies offline with status %u (got %u: %s)", what, (unsigned)want,
             (unsigned)st, gostkit_last_error());
    check(st == want && res != NULL && gostkit_cms_verify_result_count(res) == 1, name);
    const gostkit_cms_signer *s = gostkit_cms_verify_result_signer(res, 0);
    uint32_t level = 99, basis = 0;
    int64_t at = 0, ts = 0, esc = -1;
    snprintf(name, sizeof name, "ltv: %s reports level %u", what, (unsigned)want_level);
    check(gostkit_cms_signer_level(s, &level) == GOSTKIT_STATUS_OK && level == want_level, name);
    if (want == GOSTKIT_STATUS_OK && want_level >= GOSTKIT_CADES_LEVEL_T) {
        snprintf(name, sizeof name, "ltv: %s validated at its signature time-stamp's genTime", what);
        check(gostkit_cms_signer_validated_at(s, &at, &basis) == GOSTKIT_STATUS_OK &&
                  basis == GOSTKIT_TIME_BASIS_TIME_STAMP &&
                  gostkit_cms_signer_time_stamp(s, &ts, &esc) == GOSTKIT_STATUS_OK && ts == at && near_now(ts) &&
                  (want_level == GOSTKIT_CADES_LEVEL_XL1 ? esc >= ts : esc == 0),
              name);
    }
    gostkit_cms_verify_result_free(res);
}

static void test_ltv(const char *dir) {
    char line[2048];
    struct ltv_peer peer = {dir, 0, 0, 0};
    gostkit_cert *ca = ltv_cert(dir, "ca.pem"), *tsa_cert = ltv_cert(dir, "tsa.pem"),
                 *signer = ltv_cert(dir, "signer.pem"), *revoked = ltv_cert(dir, "revoked.pem");
    gostkit_signing_key *tsa_key = ltv_key(dir, "tsa.key"), *signer_key = ltv_key(dir, "signer.key"),
                        *revoked_key = ltv_key(dir, "revoked.key");
    check(ca && tsa_cert && signer && revoked && tsa_key && signer_key && revoked_key,
          "ltv: the OpenSSL fixtures (GOST CA, TSA, signers) load");
    if (!(ca && tsa_cert && signer && revoked && tsa_key && signer_key && revoked_key)) goto done;
    gostkit_store *store = NULL;
    size_t n;
    uint8_t pem[8192];
    snprintf(line, sizeof line, "%s/ca.pem", dir);
    n = read_file(line, pem, sizeof pem);
    check(gostkit_store_new(&store) == GOSTKIT_STATUS_OK &&
              gostkit_store_add(store, pem, n, GOSTKIT_STORE_ROLE_TRUSTED_ROOT) == GOSTKIT_STATUS_OK,
          "ltv: trust store with the OpenSSL CA");
    static const uint8_t data[] = "hello\n";
    const size_t data_len = sizeof data - 1;
    snprintf(line, sizeof line, "%s/data.txt", dir);
    check(write_file(line, data, data_len), "ltv: data file written");

    /* 1. A C request answered by `openssl ts -reply`, verified by C. */
    gostkit_buffer *tsq = NULL, *tsq2 = NULL, *none = NULL;
    gostkit_buffer *bad = NULL;
    check(gostkit_ts_query_new(data, data_len, GOSTKIT_HASH_ALG_STREEBOG256, true, true, NULL, &tsq) ==
              GOSTKIT_STATUS_OK,
          "ltv: gostkit_ts_query_new builds a TimeStampReq");
    check(gostkit_ts_query_new(data, data_len, 77, true, true, NULL, &bad) == GOSTKIT_STATUS_INVALID_ARGUMENT &&
              bad == NULL,
          "ltv: gostkit_ts_query_new rejects an unknown hash (and leaves *out NULL)");
    check(gostkit_ts_query_new(data, data_len, GOSTKIT_HASH_ALG_STREEBOG256, true, true, "1.2", &bad) ==
                  GOSTKIT_STATUS_OK &&
              gostkit_ts_query_new(data, data_len, GOSTKIT_HASH_ALG_STREEBOG256, true, true, "x.y", &none) ==
                  GOSTKIT_STATUS_INVALID_ARGUMENT,
          "ltv: gostkit_ts_query_new takes a dotted policy OID, refuses another text");
    gostkit_buffer_free(bad);
    check(gostkit_ts_query_new(data, data_len, GOSTKIT_HASH_ALG_STREEBOG256, true, true, NULL, &tsq2) ==
              GOSTKIT_STATUS_OK,
          "ltv: a second request (another nonce)");
    n = ltv_exchange(dir, "ltv.tsq", "ltv.tsr", ltv_ts_reply, gostkit_buffer_data(tsq), gostkit_buffer_len(tsq));
    check(n > 0, "ltv: openssl ts -reply answers the C request");
    int64_t gen = 0;
    gostkit_status st = gostkit_ts_verify(ltv_buf, n, gostkit_buffer_data(tsq), gostkit_buffer_len(tsq), data,
                                          data_len, store, NULL, 0, 0, GOSTKIT_REVOCATION_OFF, &gen);
    snprintf(line, sizeof line, "ltv: gostkit_ts_verify accepts OpenSSL's reply (got %u: %s)", (unsigned)st,
             gostkit_last_error());
    check(st == GOSTKIT_STATUS_OK && near_now(gen), line);
    check(gostkit_ts_verify(ltv_buf, n, NULL, 0, data, data_len, store, NULL, 0, 0, GOSTKIT_REVOCATION_OFF, NULL) ==
              GOSTKIT_STATUS_OK,
          "ltv: gostkit_ts_verify over the data alone");
    check(gostkit_ts_verify(ltv_buf, n, NULL, 0, (const uint8_t *)"other", 5, store, NULL, 0, 0,
                            GOSTKIT_REVOCATION_OFF, NULL) == GOSTKIT_STATUS_DIGEST_MISMATCH,
          "ltv: gostkit_ts_verify rejects other data (DIGEST_MISMATCH)");
    check(gostkit_ts_verify(ltv_buf, n, gostkit_buffer_data(tsq2), gostkit_buffer_len(tsq2), NULL, 0, store, NULL,
                            0, 0, GOSTKIT_REVOCATION_OFF, NULL) == GOSTKIT_STATUS_AUTH_FAILED,
          "ltv: gostkit_ts_verify rejects the reply to another request (nonce: AUTH_FAILED)");
    check(gostkit_ts_verify(ltv_buf, n, NULL, 0, NULL, 0, store, NULL, 0, 0, GOSTKIT_REVOCATION_OFF, NULL) ==
              GOSTKIT_STATUS_INVALID_ARGUMENT,
          "ltv: gostkit_ts_verify needs the request or the data");
    gostkit_store *empty = NULL;
    gostkit_store_new(&empty);
    st = gostkit_ts_verify(ltv_buf, n, NULL, 0, data, data_len, empty, NULL, 0, 0, GOSTKIT_REVOCATION_OFF, NULL);
    check(st == GOSTKIT_STATUS_UNTRUSTED_ROOT || st == GOSTKIT_STATUS_NO_ISSUER,
          "ltv: gostkit_ts_verify without the TSA's root fails its chain");
    check(gostkit_ts_verify(ltv_buf, n / 2, NULL, 0, data, data_len, store, NULL, 0, 0, GOSTKIT_REVOCATION_OFF,
                            NULL) == GOSTKIT_STATUS_MALFORMED,
          "ltv: gostkit_ts_verify: a truncated reply is MALFORMED");

    /* 2. The C ABI's TSA answers; `openssl ts -verify` checks its token. */
    gostkit_tsa *tsa = NULL;
    gostkit_buffer *tsr = NULL;
    check(gostkit_tsa_new(tsa_cert, signer_key, NULL, &tsa) == GOSTKIT_STATUS_KEY_MISMATCH && tsa == NULL,
          "ltv: gostkit_tsa_new refuses a key of another certificate");
    check(gostkit_tsa_new(tsa_cert, tsa_key, "not an oid", &tsa) == GOSTKIT_STATUS_INVALID_ARGUMENT,
          "ltv: gostkit_tsa_new refuses a malformed policy OID");
    check(gostkit_tsa_new(tsa_cert, tsa_key, "1.2.643.2.2.38.4", &tsa) == GOSTKIT_STATUS_OK &&
              gostkit_tsa_respond(tsa, gostkit_buffer_data(tsq2), gostkit_buffer_len(tsq2), 0, &tsr) ==
                  GOSTKIT_STATUS_OK,
          "ltv: gostkit_tsa_respond answers a request");
    snprintf(line, sizeof line, "%s/ltv-gk.tsq", dir);
    write_file(line, gostkit_buffer_data(tsq2), gostkit_buffer_len(tsq2));
    snprintf(line, sizeof line, "%s/ltv-gk.tsr", dir);
    write_file(line, gostkit_buffer_data(tsr), gostkit_buffer_len(tsr));
    snprintf(line, sizeof line,
             "cd '%s' && openssl ts -verify -in ltv-gk.tsr -queryfile ltv-gk.tsq -CAfile ca.pem >/dev/null 2>&1", dir);
    check(system(line) == 0, "ltv: openssl ts -verify accepts the C TSA's token (with its query)");
    snprintf(line, sizeof line,
             "cd '%s' && openssl ts -verify -in ltv-gk.tsr -data data.txt -CAfile ca.pem >/dev/null 2>&1", dir);
    check(system(line) == 0, "ltv: openssl ts -verify accepts the C TSA's token (over the data)");
    check(gostkit_ts_verify(gostkit_buffer_data(tsr), gostkit_buffer_len(tsr), gostkit_buffer_data(tsq2),
                            gostkit_buffer_len(tsq2), data, data_len, store, NULL, 0, 0, GOSTKIT_REVOCATION_OFF,
                            NULL) == GOSTKIT_STATUS_OK,
          "ltv: gostkit_ts_verify accepts the C TSA's token");
    gostkit_buffer_free(tsr);
    tsr = NULL;
    check(gostkit_tsa_respond(tsa, (const uint8_t *)"junk", 4, 0, &tsr) == GOSTKIT_STATUS_OK &&
              gostkit_ts_verify(gostkit_buffer_data(tsr), gostkit_buffer_len(tsr), NULL, 0, data, data_len, store,
                                NULL, 0, 0, GOSTKIT_REVOCATION_OFF, NULL) == GOSTKIT_STATUS_MALFORMED,
          "ltv: a malformed request gets a rejection (badDataFormat), which verifies as MALFORMED");
    gostkit_buffer_free(tsr);

    /* 3. OCSP: C requests answered by the one-shot `openssl ocsp -index` responder. */
    gostkit_buffer *oreq = NULL, *oreq2 = NULL, *rreq = NULL;
    check(gostkit_ocsp_request_new(signer, ca, true, &oreq) == GOSTKIT_STATUS_OK &&
              gostkit_ocsp_request_new(signer, ca, true, &oreq2) == GOSTKIT_STATUS_OK &&
              gostkit_ocsp_request_new(revoked, ca, false, &rreq) == GOSTKIT_STATUS_OK,
          "ltv: gostkit_ocsp_request_new builds OCSP requests");
    n = ltv_exchange(dir, "ltv.ocq", "ltv.ocr", ltv_ocsp_reply, gostkit_buffer_data(oreq), gostkit_buffer_len(oreq));
    check(n > 0, "ltv: openssl ocsp answers the C request");
    uint32_t ost = 0;
    int64_t rt = -5;
    int32_t reason = -5;
    st = gostkit_ocsp_check_response(ltv_buf, n, gostkit_buffer_data(oreq), gostkit_buffer_len(oreq), signer, ca,
                                     store, 0, &ost, &rt, &reason);
    snprintf(line, sizeof line, "ltv: OpenSSL's OCSP response: good (got %u: %s)", (unsigned)st,
             gostkit_last_error());
    check(st == GOSTKIT_STATUS_OK && ost == GOSTKIT_OCSP_CERT_STATUS_GOOD && rt == 0 && reason == -1, line);
    check(gostkit_ocsp_check_response(ltv_buf, n, gostkit_buffer_data(oreq2), gostkit_buffer_len(oreq2), signer, ca,
                                      NULL, 0, NULL, NULL, NULL) == GOSTKIT_STATUS_OCSP_NONCE_MISMATCH,
          "ltv: the response to another request: OCSP_NONCE_MISMATCH");
    check(gostkit_ocsp_check_response(ltv_buf, n, NULL, 0, revoked, ca, NULL, 0, NULL, NULL, NULL) ==
              GOSTKIT_STATUS_CRL_MISSING,
          "ltv: a response about another certificate: CRL_MISSING");
    check(gostkit_ocsp_check_response(ltv_buf, n, NULL, 0, signer, ca, NULL, (int64_t)time(NULL) + 3 * 86400, NULL,
                                      NULL, NULL) == GOSTKIT_STATUS_OCSP_STALE,
          "ltv: the response three days later: OCSP_STALE");
    check(gostkit_ocsp_check_response(ltv_buf, n, NULL, 0, signer, ca, empty, 0, NULL, NULL, NULL) ==
              GOSTKIT_STATUS_UNTRUSTED_ROOT,
          "ltv: an issuer outside the trust store: UNTRUSTED_ROOT");
    /* Alter the seconds digit of producedAt (the first GeneralizedTime of the response). */
    size_t gt = 0;
    for (size_t i = 0; i + 17 <= n && !gt; i++)
        if (ltv_buf[i] == 0x18 && ltv_buf[i + 1] == 0x0f && ltv_buf[i + 16] == 'Z') gt = i + 15;
    check(gt != 0, "ltv: producedAt found in OpenSSL's response");
    ltv_buf[gt] ^= 1;
    check(gostkit_ocsp_check_response(ltv_buf, n, NULL, 0, signer, ca, NULL, 0, NULL, NULL, NULL) ==
              GOSTKIT_STATUS_BAD_SIGNATURE,
          "ltv: a response with an altered signature: BAD_SIGNATURE");
    n = ltv_exchange(dir, "ltv.ocq", "ltv.ocr", ltv_ocsp_reply, gostkit_buffer_data(rreq), gostkit_buffer_len(rreq));
    ost = 0;
    st = gostkit_ocsp_check_response(ltv_buf, n, gostkit_buffer_data(rreq), gostkit_buffer_len(rreq), revoked, ca,
                                     store, 0, &ost, &rt, &reason);
    check(n > 0 && st == GOSTKIT_STATUS_REVOKED && ost == GOSTKIT_OCSP_CERT_STATUS_REVOKED && near_now(rt + 3600) &&
              reason == 1,
          "ltv: OpenSSL's OCSP response: revoked an hour ago, keyCompromise (REVOKED)");
    gostkit_buffer *ureq = NULL;
    check(gostkit_ocsp_request_new(tsa_cert, ca, true, &ureq) == GOSTKIT_STATUS_OK,
          "ltv: an OCSP request about a certificate the responder's index lacks");
    n = ltv_exchange(dir, "ltv.ocq", "ltv.ocr", ltv_ocsp_reply, gostkit_buffer_data(ureq), gostkit_buffer_len(ureq));
    ost = 0;
    check(n > 0 &&
              gostkit_ocsp_check_response(ltv_buf, n, gostkit_buffer_data(ureq), gostkit_buffer_len(ureq), tsa_cert,
                                          ca, store, 0, &ost, NULL, NULL) == GOSTKIT_STATUS_OCSP_CERT_UNKNOWN &&
              ost == GOSTKIT_OCSP_CERT_STATUS_UNKNOWN,
          "ltv: OpenSSL's OCSP response: unknown (OCSP_CERT_UNKNOWN)");
    check(gostkit_ocsp_check_response(ltv_buf, n / 3, NULL, 0, tsa_cert, ca, NULL, 0, NULL, NULL, NULL) ==
              GOSTKIT_STATUS_MALFORMED,
          "ltv: a truncated OCSP response is MALFORMED");
    gostkit_buffer_free(ureq);
    gostkit_buffer_free(oreq);
    gostkit_buffer_free(oreq2);
    gostkit_buffer_free(rreq);

    /* 4. Upgrade a SignedData to CAdES-T and X-L1 through the callbacks, verify it offline. */
    gostkit_buffer *bes = NULL, *t = NULL, *xl = NULL;
    check(gostkit_cms_sign_buf(signer, signer_key, NULL, 0, data, data_len, 0, &bes) == GOSTKIT_STATUS_OK,
          "ltv: a CAdES-BES SignedData");
    ltv_expect(bes, store, GOSTKIT_REVOCATION_OFF, GOSTKIT_STATUS_OK, GOSTKIT_CADES_LEVEL_BES, "the BES message");
    check(gostkit_cms_upgrade(gostkit_buffer_data(bes), gostkit_buffer_len(bes), GOSTKIT_CADES_LEVEL_T,
                              GOSTKIT_HASH_ALG_STREEBOG256, NULL, NULL, NULL, NULL, NULL, 0, &none) ==
                  GOSTKIT_STATUS_NULL_ARGUMENT &&
              gostkit_cms_upgrade(gostkit_buffer_data(bes), gostkit_buffer_len(bes), GOSTKIT_CADES_LEVEL_BES,
                                  GOSTKIT_HASH_ALG_STREEBOG256, ltv_tsa_cb, &peer, NULL, NULL, NULL, 0, &none) ==
                  GOSTKIT_STATUS_INVALID_ARGUMENT &&
              none == NULL,
          "ltv: gostkit_cms_upgrade needs a TSA callback and level T or XL1");
    peer.fail = 1;
    check(gostkit_cms_upgrade(gostkit_buffer_data(bes), gostkit_buffer_len(bes), GOSTKIT_CADES_LEVEL_T,
                              GOSTKIT_HASH_ALG_STREEBOG256, ltv_tsa_cb, &peer, NULL, NULL, NULL, 0, &none) ==
                  GOSTKIT_STATUS_IO &&
              none == NULL && strstr(gostkit_last_error(), "returned 7") != NULL,
          "ltv: a failing TSA callback gives IO");
    peer.fail = 0;
    peer.tsa_calls = 0;
    st = gostkit_cms_upgrade(gostkit_buffer_data(bes), gostkit_buffer_len(bes), GOSTKIT_CADES_LEVEL_T,
                             GOSTKIT_HASH_ALG_STREEBOG256, ltv_tsa_cb, &peer, NULL, NULL, NULL, 0, &t);
    snprintf(line, sizeof line, "ltv: upgrade to CAdES-T through openssl ts -reply (got %u: %s)", (unsigned)st,
             gostkit_last_error());
    check(st == GOSTKIT_STATUS_OK && peer.tsa_calls == 1, line);
    ltv_expect(t, store, GOSTKIT_REVOCATION_OFF, GOSTKIT_STATUS_OK, GOSTKIT_CADES_LEVEL_T, "the CAdES-T message");
    peer.tsa_calls = 0;
    st = gostkit_cms_upgrade(gostkit_buffer_data(t), gostkit_buffer_len(t), GOSTKIT_CADES_LEVEL_XL1,
                             GOSTKIT_HASH_ALG_STREEBOG256, ltv_tsa_cb, &peer, ltv_ocsp_cb, &peer, store, 0, &xl);
    snprintf(line, sizeof line,
             "ltv: upgrade to CAdES-X L1 with openssl ocsp and ts (got %u: %s; %d OCSP, %d TSA calls)", (unsigned)st,
             gostkit_last_error(), peer.ocsp_calls, peer.tsa_calls);
    check(st == GOSTKIT_STATUS_OK && peer.ocsp_calls == 1 && peer.tsa_calls == 1, line);
    ltv_expect(xl, store, GOSTKIT_REVOCATION_REQUIRED, GOSTKIT_STATUS_OK, GOSTKIT_CADES_LEVEL_XL1,
               "the CAdES-X L1 message (embedded OCSP required)");
    snprintf(line, sizeof line, "%s/ltv-xl1.p7s", dir);
    write_file(line, gostkit_buffer_data(xl), gostkit_buffer_len(xl));
    snprintf(line, sizeof line,
             "cd '%s' && openssl cms -verify -binary -inform DER -in ltv-xl1.p7s -CAfile ca.pem -out /dev/null "
             ">/dev/null 2>&1",
             dir);
    check(system(line) == 0, "ltv: openssl cms -verify still accepts the CAdES-X L1 message's signature");
    ltv_expect(xl, empty, GOSTKIT_REVOCATION_OFF, GOSTKIT_STATUS_UNTRUSTED_ROOT, GOSTKIT_CADES_LEVEL_NONE,
               "the CAdES-X L1 message without a trust anchor");
    gostkit_cms_verify_result *cut = NULL;
    check(gostkit_cms_verify_ltv(gostkit_buffer_data(xl), gostkit_buffer_len(xl) - 40, NULL, 0, store,
                                 GOSTKIT_REVOCATION_OFF, &cut) == GOSTKIT_STATUS_MALFORMED &&
              cut == NULL,
          "ltv: a truncated CAdES-X L1 message is MALFORMED (no result)");
    /* The revoked signer: the OCSP answer stops the upgrade. */
    gostkit_buffer *rbes = NULL, *rxl = NULL;
    check(gostkit_cms_sign_buf(revoked, revoked_key, NULL, 0, data, data_len, 0, &rbes) == GOSTKIT_STATUS_OK,
          "ltv: a SignedData by the revoked signer");
    st = gostkit_cms_upgrade(gostkit_buffer_data(rbes), gostkit_buffer_len(rbes), GOSTKIT_CADES_LEVEL_XL1,
                             GOSTKIT_HASH_ALG_STREEBOG256, ltv_tsa_cb, &peer, ltv_ocsp_cb, &peer, store, 0, &rxl);
    check(st == GOSTKIT_STATUS_REVOKED && rxl == NULL, "ltv: upgrading the revoked signer to X-L1 gives REVOKED");
    gostkit_buffer_free(rbes);
    gostkit_buffer_free(bes);
    gostkit_buffer_free(t);
    gostkit_buffer_free(xl);
    gostkit_buffer_free(tsq);
    gostkit_buffer_free(tsq2);
    gostkit_tsa_free(tsa);
    gostkit_store_free(empty);
    gostkit_store_free(store);
done:
    gostkit_cert_free(ca);
    gostkit_cert_free(tsa_cert);
    gostkit_cert_free(signer);
    gostkit_cert_free(revoked);
    gostkit_signing_key_free(tsa_key);
    gostkit_signing_key_free(signer_key);
    gostkit_signing_key_free(revoked_key);
}

int main(int argc, char **argv) {
    test_vectors();
    test_errors();
    test_hmac();
    test_kdf();
    test_cipher_modes();
    test_omac();
    test_gost28147();
    test_keywrap();
    test_mgm();
    test_kexp15();
    test_ec();
    test_misc();
    test_cert();
    test_cert_details();
    test_pki_cms();
    test_cms_named();
    test_tls();
    if (argc >= 3) {
        test_containers(argv[1], argv[2]);
        test_store_crl(argv[1]);
    } else {
        check(0, "usage: test_gostkit VECTORS_DIR SCRATCH_DIR [PKCS11_MODULE] (test-vectors/cryptopro, an empty "
                 "directory, the gostkit PKCS#11 module with a token prepared by run.sh)");
    }
    if (argc >= 4)
        test_token_keys(argv[3]);
    /* The long-term validation test needs OpenSSL with gost-engine: run.sh prepares its
     * fixtures and names the directory. */
    const char *ltv_dir = getenv("GOSTKIT_LTV_DIR");
    const char *require = getenv("GOSTKIT_REQUIRE_PEER");
    if (ltv_dir && *ltv_dir)
        test_ltv(ltv_dir);
    else if (require && strcmp(require, "1") == 0)
        check(0, "ltv: GOSTKIT_LTV_DIR not set (OpenSSL fixtures missing) and GOSTKIT_REQUIRE_PEER=1");
    else
        printf("SKIP: GOSTKIT_LTV_DIR not set: the OpenSSL time-stamp/OCSP test does not run\n");
    printf("C ABI: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
