/*
 * imports.c - the enterprise upload handler of imports.h.  libzip can read
 * from memory but freexl only from a path, and the engine reads paths, so
 * the body goes to an unlinked-on-exit temporary file first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/jw.h"
#include "http/audit_hook.h"
#include "http/imports.h"
#include "store/import.h"

static int media_ok(const char *ct)
{
	static const char *const ok[] = {
		"text/csv",
		"text/plain",
		"application/octet-stream",
		"application/vnd.ms-excel",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		NULL,
	};

	if (!ct)
		return 1;
	for (size_t i = 0; ok[i]; i++) {
		size_t n = strlen(ok[i]);
		if (!strncasecmp(ct, ok[i], n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
			return 1;
	}
	return 0;
}

static int spool(const struct zl_req *req, char *path, size_t n, struct zl_error *err)
{
	const char *dir = getenv("TMPDIR");
	size_t off = 0;
	int fd;

	snprintf(path, n, "%s/zl-import-XXXXXX", dir && dir[0] ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return zl_error_set(err, ZL_EIO, "", "cannot create a temporary file: %s",
				    strerror(errno));
	while (off < req->body_len) {
		ssize_t w = write(fd, req->body + off, req->body_len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(path);
			return zl_error_set(err, ZL_EIO, "", "cannot write a temporary file: %s",
					    strerror(errno));
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		unlink(path);
		return zl_error_set(err, ZL_EIO, "", "cannot write a temporary file");
	}
	return ZL_OK;
}

static void write_report(struct zl_jw *w, const struct zl_import_result *r)
{
	zl_jw_obj_begin(w);
	zl_jw_key(w, "imported");
	zl_jw_uint(w, r->imported);
	zl_jw_key(w, "updated");
	zl_jw_uint(w, r->updated);
	zl_jw_key(w, "unchanged");
	zl_jw_uint(w, r->unchanged);
	zl_jw_key(w, "rejected");
	zl_jw_uint(w, r->rejected);
	zl_jw_kbool(w, "written", r->written);
	zl_jw_key(w, "header_row");
	zl_jw_uint(w, r->header_row);
	zl_jw_kstr(w, "format",
		   r->format == ZL_TABLE_XLSX  ? "xlsx"
		   : r->format == ZL_TABLE_XLS ? "xls"
					       : "csv");
	zl_jw_kstr(w, "encoding", r->encoding);
	zl_jw_key(w, "unmapped");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->nunmapped; i++)
		zl_jw_str(w, r->unmapped[i]);
	zl_jw_arr_end(w);
	zl_jw_key(w, "notes");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->nnotes; i++)
		zl_jw_str(w, r->notes[i]);
	zl_jw_arr_end(w);
	zl_jw_key(w, "rows");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->nrejects; i++) {
		zl_jw_obj_begin(w);
		zl_jw_key(w, "row");
		zl_jw_uint(w, r->rejects[i].row);
		zl_jw_kstr(w, "column", r->rejects[i].column);
		zl_jw_kstr(w, "value", r->rejects[i].value);
		zl_jw_kstr(w, "reason", r->rejects[i].reason);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_obj_end(w);
}

int zl_h_import_enterprises(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_import_options opt = {0};
	struct zl_import_result res;
	const char *partial = zl_req_query(req, "partial");
	const char *name = zl_req_query(req, "name");
	char path[512] = "", actor[160];
	struct zl_db *db;
	struct zl_jw w;
	int rc;

	zl_import_result_init(&res);
	if (!media_ok(zl_req_header(req, "Content-Type")))
		return zl_error_set(err, ZL_EMEDIA, "Content-Type",
				    "send the file as text/csv, an Excel type or "
				    "application/octet-stream");
	if (req->body_len == 0)
		return zl_error_set(err, ZL_EINVAL, "body",
				    "empty body: send the file itself as the request body");
	opt.partial = partial && (!strcmp(partial, "1") || !strcmp(partial, "true"));
	if (!name || !name[0])
		name = "upload";
	snprintf(actor, sizeof(actor), "%s%s",
		 req->principal.kind == ZL_PRINCIPAL_TOKEN ? "token:" : "", req->principal.name);
	opt.actor = actor;
	if ((rc = spool(req, path, sizeof(path), err)) != ZL_OK)
		return rc;
	if ((db = zl_req_db(req, err)) == NULL) {
		rc = ZL_EUNAVAIL;
		goto out;
	}
	if ((rc = zl_db_begin(db, err)) != ZL_OK)
		goto out;
	rc = zl_import_enterprises(db, path, &opt, &res, err);
	if (rc == ZL_OK && res.written) {
		struct zl_buf detail = ZL_BUF_INIT(4096);
		struct zl_jw dw;

		zl_jw_init(&dw, &detail);
		zl_jw_obj_begin(&dw);
		zl_jw_kstr(&dw, "file", name);
		zl_jw_key(&dw, "rows");
		zl_jw_uint(&dw, res.rows);
		zl_jw_key(&dw, "imported");
		zl_jw_uint(&dw, res.imported);
		zl_jw_key(&dw, "updated");
		zl_jw_uint(&dw, res.updated);
		zl_jw_key(&dw, "unchanged");
		zl_jw_uint(&dw, res.unchanged);
		zl_jw_key(&dw, "rejected");
		zl_jw_uint(&dw, res.rejected);
		zl_jw_kbool(&dw, "partial", opt.partial);
		zl_jw_obj_end(&dw);
		rc = zl_jw_error(&dw) ? zl_error_set(err, ZL_ENOMEM, "", "out of memory")
				      : zl_req_audit(req, db, "enterprise.import", name, NULL, NULL,
						     zl_buf_str(&detail), err);
		zl_buf_release(&detail);
		if (rc == ZL_OK)
			rc = zl_db_commit(db, err);
		if (rc != ZL_OK)
			zl_db_rollback(db);
	} else {
		zl_db_rollback(db);
	}
	if (rc != ZL_OK)
		goto out;
	zl_resp_json(resp, 200, &w);
	write_report(&w, &res);
out:
	if (path[0])
		unlink(path);
	zl_import_result_release(&res);
	return rc;
}
