/*
 * test_audit.c - the audit chain's canonical form and hashes (domain/audit.h).
 *
 * The expected values were computed independently of this code with the
 * shell, so the tests check the format docs/audit.md promises auditors:
 *
 *   ns() { printf '%d:%s,' "$(printf '%s' "$1" | wc -c)" "$1"; }
 *   AD=$(printf '%s' '{"username":"zhang"}' | sha256sum | cut -d' ' -f1)
 *   G=0000000000000000000000000000000000000000000000000000000000000000
 *   C1="$(ns 1)$(ns 2014-07-18T08:30:00.000000Z)$(ns cli:root)$(ns '')$(ns user.create)"\
 *   "$(ns user:zhang)$(ns '')$(ns $AD)$(ns '')$(ns '创建用户 zhang')$(ns $G)"
 *   printf '%s' "$C1" | sha256sum      -> H1 (ROW1_HASH below)
 *   C2="$(ns 2)$(ns 2014-07-18T08:31:05.123456Z)$(ns admin)$(ns 410000)$(ns org.update)"\
 *   "$(ns org:410100)$(ns $AD)$(ns $(printf '' | sha256sum | cut -d' ' -f1))"\
 *   "$(ns 0123456789abcdef0123456789abcdef)$(ns 'a,b:c')$(ns $H1)"
 *   printf '%s' "$C2" | sha256sum      -> ROW2_HASH
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/audit.h"

#define AFTER_DIGEST "5af1e82cfbdbf25eddedecccfd10acb4b58387f6504b26e13a3c42ef4317a077"
#define EMPTY_DIGEST "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ROW1_HASH "534c3761ade80850a12a3627ec991454ec5208e584d3f3b71b5cdec84eb08483"
#define ROW2_HASH "afd7f87156b04ce14dcd10e47f1e87aff71ba10993e94a992f1cfacef8427d3f"

static const struct zl_audit_fields row1 = {
	.seq = 1,
	.at = "2014-07-18T08:30:00.000000Z",
	.actor = "cli:root",
	.org = "",
	.action = "user.create",
	.target = "user:zhang",
	.before_digest = "",
	.after_digest = AFTER_DIGEST,
	.request_id = "",
	.detail = "创建用户 zhang",
	.prev_hash = ZL_AUDIT_GENESIS,
};

static const struct zl_audit_fields row2 = {
	.seq = 2,
	.at = "2014-07-18T08:31:05.123456Z",
	.actor = "admin",
	.org = "410000",
	.action = "org.update",
	.target = "org:410100",
	.before_digest = AFTER_DIGEST,
	.after_digest = EMPTY_DIGEST,
	.request_id = "0123456789abcdef0123456789abcdef",
	.detail = "a,b:c",
	.prev_hash = ROW1_HASH,
};

static void test_sha256_hex(void **state)
{
	char h[ZL_SHA256_HEX_LEN + 1];

	(void)state;
	/* FIPS 180-2 examples. */
	zl_sha256_hex("", 0, h);
	assert_string_equal(h, EMPTY_DIGEST);
	zl_sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	zl_sha256_hex("{\"username\":\"zhang\"}", 20, h);
	assert_string_equal(h, AFTER_DIGEST);
}

static void test_canonical_bytes(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(4096);

	(void)state;
	assert_int_equal(zl_audit_canonical(&row1, &b), ZL_OK);
	/* "创建用户 zhang" is 18 bytes of UTF-8 (4 x 3 + 6). */
	assert_string_equal(zl_buf_str(&b),
			    "1:1,27:2014-07-18T08:30:00.000000Z,8:cli:root,0:,11:user.create,"
			    "10:user:zhang,0:,64:" AFTER_DIGEST ",0:,18:创建用户 zhang,"
			    "64:" ZL_AUDIT_GENESIS ",");
	zl_buf_release(&b);
}

static void test_row_hash_vectors(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(4096);
	char h[ZL_SHA256_HEX_LEN + 1], h2[ZL_SHA256_HEX_LEN + 1];

	(void)state;
	zl_audit_row_hash(&row1, h);
	assert_string_equal(h, ROW1_HASH);
	zl_audit_row_hash(&row2, h);
	assert_string_equal(h, ROW2_HASH);
	/* The streamed hash is the hash of the canonical bytes. */
	assert_int_equal(zl_audit_canonical(&row2, &b), ZL_OK);
	zl_sha256_hex(b.data, b.len, h2);
	assert_string_equal(h, h2);
	zl_buf_release(&b);
}

/* Moving bytes between fields changes the hash: lengths are part of it. */
static void test_field_boundaries(void **state)
{
	struct zl_audit_fields a = row1, b = row1;
	char ha[ZL_SHA256_HEX_LEN + 1], hb[ZL_SHA256_HEX_LEN + 1];

	(void)state;
	a.actor = "cli:ro";
	a.org = "ot";
	b.actor = "cli:r";
	b.org = "oot";
	zl_audit_row_hash(&a, ha);
	zl_audit_row_hash(&b, hb);
	assert_string_not_equal(ha, hb);
	/* A separator inside a field cannot forge a boundary either. */
	a = row1;
	b = row1;
	a.target = "x,0:";
	a.before_digest = "";
	b.target = "x";
	b.before_digest = ",0:";
	zl_audit_row_hash(&a, ha);
	zl_audit_row_hash(&b, hb);
	assert_string_not_equal(ha, hb);
}

/* Every field, seq and prev_hash included, is covered by the hash. */
static void test_every_field_counts(void **state)
{
	char base[ZL_SHA256_HEX_LEN + 1], h[ZL_SHA256_HEX_LEN + 1];
	static const size_t fields[] = {
		offsetof(struct zl_audit_fields, at),
		offsetof(struct zl_audit_fields, actor),
		offsetof(struct zl_audit_fields, org),
		offsetof(struct zl_audit_fields, action),
		offsetof(struct zl_audit_fields, target),
		offsetof(struct zl_audit_fields, before_digest),
		offsetof(struct zl_audit_fields, after_digest),
		offsetof(struct zl_audit_fields, request_id),
		offsetof(struct zl_audit_fields, detail),
		offsetof(struct zl_audit_fields, prev_hash),
	};

	(void)state;
	zl_audit_row_hash(&row2, base);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct zl_audit_fields f = row2;
		const char **p = (const char **)((char *)&f + fields[i]);

		*p = "changed";
		zl_audit_row_hash(&f, h);
		assert_string_not_equal(h, base);
	}
	{
		struct zl_audit_fields f = row2;
		f.seq = 3;
		zl_audit_row_hash(&f, h);
		assert_string_not_equal(h, base);
	}
}

static void test_is_hash(void **state)
{
	(void)state;
	assert_true(zl_audit_is_hash(ROW1_HASH));
	assert_true(zl_audit_is_hash(ZL_AUDIT_GENESIS));
	assert_false(zl_audit_is_hash(""));
	assert_false(zl_audit_is_hash(
		"534c3761ADE80850a12a3627ec991454ec5208e584d3f3b71b5cdec84eb08483"));
	assert_false(zl_audit_is_hash(ROW1_HASH "0"));
	assert_false(zl_audit_is_hash(
		"534c3761ade80850a12a3627ec991454ec5208e584d3f3b71b5cdec84eb0848"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_hex),	   cmocka_unit_test(test_canonical_bytes),
		cmocka_unit_test(test_row_hash_vectors),   cmocka_unit_test(test_field_boundaries),
		cmocka_unit_test(test_every_field_counts), cmocka_unit_test(test_is_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
