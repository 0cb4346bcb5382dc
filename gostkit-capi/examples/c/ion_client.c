/* The taxpayer's side of the ION round trip through include/gostkit.h only.
 *
 * A self-contained run: it sets up a small PKI (root CA, taxpayer, tax inspection) the way a CA
 * would, then does what an ION client does — sign a request (CMS SignedData), encrypt it to the
 * inspection (EnvelopedData, Kuznyechik CTR-ACPKM-OMAC), and open the inspection's answer:
 * decrypt, verify the signature and the inspection's chain against the trusted root store.
 *
 * Build: cargo build --release &&
 *   cc -Igostkit-capi/include gostkit-capi/examples/c/ion_client.c target/release/libgostkit.a -lpthread -ldl -lm -o ion_client
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gostkit.h"

#define CHECK(call)                                                                    \
    do {                                                                               \
        gostkit_status st_ = (call);                                                   \
        if (st_ != GOSTKIT_STATUS_OK) {                                                \
            fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, #call,         \
                    gostkit_status_message(st_), gostkit_last_error());                \
            exit(1);                                                                   \
        }                                                                              \
    } while (0)

/* Calls an output-convention function twice: size query, then into a malloc'd buffer. */
#define FETCH(buf, len, call_with_out)                                                 \
    do {                                                                               \
        uint8_t *out = NULL;                                                           \
        size_t out_len = 0;                                                            \
        gostkit_status st_ = (call_with_out);                                          \
        if (st_ != GOSTKIT_STATUS_BUFFER_TOO_SMALL) CHECK(st_);                        \
        out = malloc(out_len + 64);                                                    \
        out_len += 64;                                                                 \
        CHECK(call_with_out);                                                          \
        (buf) = out;                                                                   \
        (len) = out_len;                                                               \
    } while (0)

static gostkit_cert *issue(gostkit_cert *ca, gostkit_signing_key *ca_key, gostkit_signing_key *key,
                           const char *dn) {
    uint8_t *csr;
    size_t csr_len;
    gostkit_cert *cert = NULL;
    FETCH(csr, csr_len, gostkit_csr_create(key, dn, out, &out_len));
    CHECK(gostkit_cert_issue(csr, csr_len, NULL, ca, ca_key, 365, 0, -1, &cert));
    free(csr);
    return cert;
}

int main(void) {
    gostkit_signing_key *root_key = NULL, *taxpayer_key = NULL, *inspection_key = NULL;
    gostkit_cert *root = NULL;
    CHECK(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26512_A, NULL, 0, &root_key));
    CHECK(gostkit_cert_issue(NULL, 0, "/CN=ION Root CA/C=RU", NULL, root_key, 3650, GOSTKIT_ISSUE_CA,
                             -1, &root));
    const char entropy[] = "keyboard timings from the CA wizard";
    CHECK(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_A, (const uint8_t *)entropy,
                                       sizeof entropy - 1, &taxpayer_key));
    CHECK(gostkit_signing_key_generate(GOSTKIT_CURVE_TC26256_B, NULL, 0, &inspection_key));
    gostkit_cert *taxpayer =
        issue(root, root_key, taxpayer_key, "/CN=Ivanov Ivan/INN=500100732259/SNILS=12345678964");
    gostkit_cert *inspection = issue(root, root_key, inspection_key,
                                     "/CN=IFNS 1/O=FNS/INNLE=7701000019/OGRN=1047701000016");
    CHECK(gostkit_cert_matches_key(taxpayer, taxpayer_key));
    char inn[16];
    size_t inn_len = sizeof inn;
    CHECK(gostkit_cert_subject_id(taxpayer, GOSTKIT_RU_ID_INN, (uint8_t *)inn, &inn_len));
    printf("1. taxpayer certificate installed, INN %s\n", inn);

    gostkit_store *store = NULL;
    uint8_t root_der[4096];
    size_t root_der_len = sizeof root_der;
    CHECK(gostkit_cert_der(root, root_der, &root_der_len));
    CHECK(gostkit_store_new(&store));
    CHECK(gostkit_store_add(store, root_der, root_der_len, GOSTKIT_STORE_ROLE_TRUSTED_ROOT));

    /* The taxpayer signs the request and encrypts it to the inspection. */
    const char request[] = "<ION kind=\"statement-of-settlements-with-the-budget\"/>";
    uint8_t *signed_req, *env_req;
    size_t signed_req_len, env_req_len;
    FETCH(signed_req, signed_req_len,
          gostkit_cms_sign(taxpayer, taxpayer_key, (const uint8_t *)request, sizeof request - 1, 0,
                           out, &out_len));
    const gostkit_cert *to[1] = {inspection};
    FETCH(env_req, env_req_len,
          gostkit_cms_encrypt(to, 1, GOSTKIT_CMS_CIPHER_KUZNYECHIK_CTR_ACPKM_OMAC, signed_req,
                              signed_req_len, out, &out_len));
    printf("2. request signed (%zu bytes) and encrypted to the inspection (%zu bytes)\n",
           signed_req_len, env_req_len);

    /* (The inspection's side, simulated here: it answers with a signed, encrypted document.) */
    uint8_t *in_signed, *answer_signed, *answer_env;
    size_t in_signed_len, answer_signed_len, answer_env_len;
    FETCH(in_signed, in_signed_len,
          gostkit_cms_decrypt(inspection, inspection_key, env_req, env_req_len, out, &out_len));
    printf("   (inspection decrypted %zu bytes of signed request)\n", in_signed_len);
    const char answer[] = "<ION-answer balance=\"0.00\"/>";
    FETCH(answer_signed, answer_signed_len,
          gostkit_cms_sign(inspection, inspection_key, (const uint8_t *)answer, sizeof answer - 1, 0,
                           out, &out_len));
    const gostkit_cert *back[1] = {taxpayer};
    FETCH(answer_env, answer_env_len,
          gostkit_cms_encrypt(back, 1, GOSTKIT_CMS_CIPHER_KUZNYECHIK_CTR_ACPKM_OMAC, answer_signed,
                              answer_signed_len, out, &out_len));

    /* The taxpayer opens the answer: decrypt, verify signer and chain, read the content. */
    uint8_t *got_signed, *content;
    size_t got_signed_len, content_len;
    FETCH(got_signed, got_signed_len,
          gostkit_cms_decrypt(taxpayer, taxpayer_key, answer_env, answer_env_len, out, &out_len));
    uint32_t statuses[4];
    size_t n = 4;
    CHECK(gostkit_cms_verify(got_signed, got_signed_len, NULL, 0, store, 0,
                             GOSTKIT_REVOCATION_WHEN_AVAILABLE, statuses, &n));
    FETCH(content, content_len, gostkit_cms_signed_content(got_signed, got_signed_len, out, &out_len));
    printf("3. answer decrypted, %zu signer verified with its chain: %.*s\n", n, (int)content_len,
           (const char *)content);

    free(signed_req); free(env_req); free(in_signed); free(answer_signed); free(answer_env);
    free(got_signed); free(content);
    gostkit_store_free(store);
    gostkit_cert_free(root); gostkit_cert_free(taxpayer); gostkit_cert_free(inspection);
    gostkit_signing_key_free(root_key); gostkit_signing_key_free(taxpayer_key);
    gostkit_signing_key_free(inspection_key);
    return 0;
}
