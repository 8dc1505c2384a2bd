/*
 * audit.c - canonical serialisation and hashing of audit rows (audit.h).
 */
#include <inttypes.h>
#include <sodium.h>

#include "domain/audit.h"

static const char hexdigits[] = "0123456789abcdef";

static void to_hex(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdigits[d[i] >> 4];
		out[2 * i + 1] = hexdigits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

void zl_sha256_hex(const void *p, size_t n, char out[ZL_SHA256_HEX_LEN + 1])
{
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(d, (const unsigned char *)p, (unsigned long long)n);
	to_hex(d, sizeof(d), out);
}

/* The eleven fields as strings, seq formatted into `seqbuf`. */
static void field_list(const struct zl_audit_fields *f, char seqbuf[24], const char *v[11])
{
	snprintf(seqbuf, 24, "%" PRId64, f->seq);
	v[0] = seqbuf;
	v[1] = f->at;
	v[2] = f->actor;
	v[3] = f->org;
	v[4] = f->action;
	v[5] = f->target;
	v[6] = f->before_digest;
	v[7] = f->after_digest;
	v[8] = f->request_id;
	v[9] = f->detail;
	v[10] = f->prev_hash;
}

int zl_audit_canonical(const struct zl_audit_fields *f, struct zl_buf *out)
{
	const char *v[11];
	char seqbuf[24];

	field_list(f, seqbuf, v);
	for (int i = 0; i < 11; i++) {
		size_t n = strlen(v[i]);

		zl_buf_addf(out, "%zu:", n);
		zl_buf_add(out, v[i], n);
		zl_buf_addch(out, ',');
	}
	return out->err;
}

void zl_audit_row_hash(const struct zl_audit_fields *f, char out[ZL_SHA256_HEX_LEN + 1])
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	const char *v[11];
	char seqbuf[24], len[24];

	field_list(f, seqbuf, v);
	crypto_hash_sha256_init(&h);
	for (int i = 0; i < 11; i++) {
		size_t n = strlen(v[i]);
		int ln = snprintf(len, sizeof(len), "%zu:", n);

		crypto_hash_sha256_update(&h, (const unsigned char *)len, (unsigned long long)ln);
		crypto_hash_sha256_update(&h, (const unsigned char *)v[i], (unsigned long long)n);
		crypto_hash_sha256_update(&h, (const unsigned char *)",", 1);
	}
	crypto_hash_sha256_final(&h, d);
	to_hex(d, sizeof(d), out);
}

int zl_audit_is_hash(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == ZL_SHA256_HEX_LEN;
}
