/*
 * password.c - argon2id password hashes and the password policy (see
 * password.h for the costs and their measurements).
 */
#include "core/password.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/text.h"

_Static_assert(crypto_pwhash_STRBYTES == ZL_PASSWORD_HASH_MAX, "hash string size");

/* The list, sorted by byte value (checked by the unit test). */
static const char *const common[] = {
#define ZL_COMMON_PW(s) s,
#include "core/common_passwords.def"
#undef ZL_COMMON_PW
};
#define N_COMMON (sizeof(common) / sizeof(common[0]))

/*
 * A standard-cost hash of 64 random hex digits that were thrown away: no
 * password matches it, and verifying against it costs what a real user's
 * hash costs.
 */
static const char dummy_hash[] = "$argon2id$v=19$m=32768,t=3,p=1$+m/UinNu8XIG7pjejX1piA$"
				 "h66XMwulbry/BK8GfOHND10j7J4xYN4bFMz8MX51sUU";

struct cost_params {
	unsigned long long ops;
	size_t mem;
};

static struct cost_params cost_params(enum zl_password_cost cost)
{
	struct cost_params p = {3, (size_t)32 << 20};

	if (cost == ZL_PWCOST_FAST) {
		p.ops = 1;
		p.mem = (size_t)8 << 20;
	}
	return p;
}

int zl_password_cost_parse(const char *s, enum zl_password_cost *out)
{
	if (s != NULL && strcmp(s, "standard") == 0) {
		*out = ZL_PWCOST_STANDARD;
		return ZL_OK;
	}
	if (s != NULL && strcmp(s, "fast") == 0) {
		*out = ZL_PWCOST_FAST;
		return ZL_OK;
	}
	return ZL_EUNPROC;
}

int zl_password_hash_cost(const char *pw, enum zl_password_cost cost,
			  char out[ZL_PASSWORD_HASH_MAX], struct zl_error *err)
{
	struct cost_params p = cost_params(cost);
	size_t n = strlen(pw);

	out[0] = '\0';
	if (n > ZL_PASSWORD_MAX_BYTES)
		return zl_error_set(err, ZL_EUNPROC, "password", "password is longer than %d bytes",
				    ZL_PASSWORD_MAX_BYTES);
	if (crypto_pwhash_str_alg(out, pw, n, p.ops, p.mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return zl_error_set(err, ZL_ENOMEM, "password",
				    "cannot allocate memory to hash the password");
	return ZL_OK;
}

int zl_password_hash(const char *pw, char out[ZL_PASSWORD_HASH_MAX], struct zl_error *err)
{
	return zl_password_hash_cost(pw, ZL_PWCOST_STANDARD, out, err);
}

int zl_password_verify(const char *hash, const char *pw)
{
	size_t n = strlen(pw);

	if (hash == NULL || strncmp(hash, "$argon2id$", 10) != 0)
		return 0;
	/* Still do the work for an over-long password so its answer takes as long. */
	if (n > ZL_PASSWORD_MAX_BYTES) {
		int burn = crypto_pwhash_str_verify(hash, "", 0);
		(void)burn;
		return 0;
	}
	return crypto_pwhash_str_verify(hash, pw, n) == 0;
}

int zl_password_needs_rehash(const char *hash, enum zl_password_cost cost)
{
	struct cost_params p = cost_params(cost);

	if (hash == NULL || strncmp(hash, "$argon2id$", 10) != 0)
		return 1;
	return crypto_pwhash_str_needs_rehash(hash, p.ops, p.mem) != 0;
}

const char *zl_password_dummy_hash(void)
{
	return dummy_hash;
}

static int cmp_common(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

int zl_password_is_common(const char *pw)
{
	char low[ZL_PASSWORD_MAX_BYTES + 1];
	size_t n = strlen(pw);

	/* Nothing in the list is that long. */
	if (n > ZL_PASSWORD_MAX_BYTES)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)pw[i];
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	return bsearch(low, common, N_COMMON, sizeof(common[0]), cmp_common) != NULL;
}

size_t zl_password_common_count(void)
{
	return N_COMMON;
}

const char *zl_password_common_at(size_t i)
{
	return i < N_COMMON ? common[i] : NULL;
}

/* ASCII case-insensitive substring test. */
static int contains_nocase(const char *hay, const char *needle)
{
	size_t hn = strlen(hay), nn = strlen(needle);

	if (nn == 0 || nn > hn)
		return nn == 0;
	for (size_t i = 0; i + nn <= hn; i++)
		if (strncasecmp(hay + i, needle, nn) == 0)
			return 1;
	return 0;
}

int zl_password_policy(const char *pw, const char *username, struct zl_error *err)
{
	size_t n = strlen(pw), chars = 0, i = 0;

	if (n > ZL_PASSWORD_MAX_BYTES)
		return zl_error_set(err, ZL_EUNPROC, "password",
				    "密码过长 / password is longer than %d bytes",
				    ZL_PASSWORD_MAX_BYTES);
	while (i < n) {
		size_t len = zl_utf8_decode(pw + i, n - i, NULL);
		if (len == 0)
			return zl_error_set(err, ZL_EUNPROC, "password",
					    "密码不是有效的 UTF-8 / password is not valid UTF-8");
		i += len;
		chars++;
	}
	if (chars < ZL_PASSWORD_MIN_CHARS)
		return zl_error_set(
			err, ZL_EUNPROC, "password",
			"密码至少 %d 个字符 / password must have at least %d characters",
			ZL_PASSWORD_MIN_CHARS, ZL_PASSWORD_MIN_CHARS);
	if (zl_password_is_common(pw))
		return zl_error_set(err, ZL_EUNPROC, "password",
				    "密码过于常见 / password is one of the most common passwords");
	if (username != NULL && *username != '\0' && contains_nocase(pw, username))
		return zl_error_set(err, ZL_EUNPROC, "password",
				    "密码不能包含用户名 / password must not contain the username");
	return ZL_OK;
}
