/*
 * cli_audit.h - how a command records what it changed in the audit trail.
 *
 * Commands that change state (init, migrate, user add/disable, ...) call
 * zl_cli_audit() inside their transaction, so the change and its row
 * commit together.  The actor is "cli:" and the operating-system account
 * that ran the command.
 */
#ifndef ZL_CLI_CLI_AUDIT_H
#define ZL_CLI_CLI_AUDIT_H

#include "core/err.h"
#include "db/db.h"

/*
 * Append an audit row: actor "cli:" + the login name of the effective
 * user (from the password database, else $USER, else "uid:N"); org "";
 * before/after digest = SHA-256 hex of the JSON texts or "" when NULL;
 * request_id "".  `target` and `detail` may be NULL.  Must run inside a
 * transaction on `db` (ZL_EINTERNAL otherwise); other errors are the
 * store's.  Nothing is retained.
 */
int zl_cli_audit(struct zl_db *db, const char *action, const char *target, const char *before_json,
		 const char *after_json, const char *detail, struct zl_error *err);

/* The actor zl_cli_audit() records ("cli:root") into `out`. */
void zl_cli_audit_actor(char *out, size_t n);

#endif /* ZL_CLI_CLI_AUDIT_H */
