/*
 * cli_audit.c - audit rows for commands (cli_audit.h).
 */
#include <pwd.h>
#include <unistd.h>

#include "cli/cli_audit.h"
#include "domain/audit.h"
#include "store/audit.h"

void zl_cli_audit_actor(char *out, size_t n)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	const char *user;

	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &found) == 0 && found != NULL &&
	    found->pw_name != NULL && found->pw_name[0] != '\0') {
		snprintf(out, n, "cli:%s", found->pw_name);
		return;
	}
	user = getenv("USER");
	if (user != NULL && user[0] != '\0')
		snprintf(out, n, "cli:%s", user);
	else
		snprintf(out, n, "cli:uid:%ld", (long)geteuid());
}

static const char *digest(const char *json, char out[ZL_SHA256_HEX_LEN + 1])
{
	if (json == NULL)
		return "";
	zl_sha256_hex(json, strlen(json), out);
	return out;
}

int zl_cli_audit(struct zl_db *db, const char *action, const char *target, const char *before_json,
		 const char *after_json, const char *detail, struct zl_error *err)
{
	char actor[128], before[ZL_SHA256_HEX_LEN + 1], after[ZL_SHA256_HEX_LEN + 1];
	struct zl_audit_entry e = {
		.at = NULL,
		.actor = actor,
		.org = "",
		.action = action,
		.target = target != NULL ? target : "",
		.before_digest = digest(before_json, before),
		.after_digest = digest(after_json, after),
		.request_id = "",
		.detail = detail != NULL ? detail : "",
	};

	zl_cli_audit_actor(actor, sizeof(actor));
	return zl_store_audit_append(db, &e, NULL, err);
}
