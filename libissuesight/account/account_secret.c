/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secrets of the account area: 256-bit random values from the kernel,
 * their base64url text, and SHA-256 digests (OpenSSL's libcrypto, which
 * libmongoc already brings in).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "account_int.h"
#include "core_int.h"

static const char b64url[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64url without padding of n bytes; out needs 4*ceil(n/3)+1. */
static void b64_encode(char *out, const unsigned char *in, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		             in[i + 2];

		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
		out[o++] = b64url[v >> 6 & 63];
		out[o++] = b64url[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
		out[o++] = b64url[v >> 6 & 63];
	}
	out[o] = '\0';
}

int isg__account_secret_new(char *out, size_t n, const char *prefix)
{
	unsigned char raw[32];
	char text[48];
	int rc;

	if ((rc = isg__random_bytes(raw, sizeof(raw), "auth")) != ISG_OK)
		return rc;
	b64_encode(text, raw, sizeof(raw));
	if ((size_t)snprintf(out, n, "%s%s", prefix, text) >= n)
		return isg__error_set(ISG_ETOOBIG, "auth",
		                      "secret buffer too small");
	return ISG_OK;
}

int isg__account_random_hex(char *out, size_t n_bytes)
{
	unsigned char raw[32];
	size_t i;
	int rc;

	if (n_bytes > sizeof(raw))
		n_bytes = sizeof(raw);
	if ((rc = isg__random_bytes(raw, n_bytes, "auth")) != ISG_OK)
		return rc;
	for (i = 0; i < n_bytes; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return ISG_OK;
}

static void sha256(unsigned char md[32], const char *s, size_t len)
{
	unsigned int n = 0;

	EVP_Digest(s, len, md, &n, EVP_sha256(), NULL);
}

void isg__account_sha256_hex(char out[65], const char *s, size_t len)
{
	unsigned char md[32];
	size_t i;

	sha256(md, s, len);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void isg__account_sha256_b64url(char out[44], const char *s, size_t len)
{
	unsigned char md[32];

	sha256(md, s, len);
	b64_encode(out, md, 32);
}
