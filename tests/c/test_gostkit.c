/* C ABI test for gostkit: official vectors through include/gostkit.h and the static library,
 * plus the error-path conventions (NULL, short buffer, bad algorithm, free(NULL)).
 * Hex strings are byte strings in the order the implementation outputs them; RFC 6986 and
 * RFC 5831 print big-endian numbers, reversed here (see test-vectors/README.md). */
#include <stdio.h>
#include <string.h>

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

int main(void) {
    test_vectors();
    test_errors();
    test_misc();
    printf("C ABI: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
