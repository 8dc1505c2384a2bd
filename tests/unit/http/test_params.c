/*
 * test_params.c - the query parameter table (http/params.def): every
 * entry names a real route and is unique for it, the list routes declare
 * what zl_list_parse() accepts, the org scopes' query parameters are
 * declared, the generated OpenAPI document and Markdown show them, and
 * zl_req_query() refuses an undeclared name on a dispatched request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http/handlers.h"
#include "http/list.h"

#if defined(__SANITIZE_ADDRESS__)
#define STRICT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STRICT 1
#endif
#endif
#ifndef STRICT
#define STRICT 0
#endif

static const struct zl_query_param *find(int route, const char *name)
{
	for (size_t i = 0; i < zl_query_param_count; i++)
		if (zl_query_params[i].route == route && !strcmp(zl_query_params[i].name, name))
			return &zl_query_params[i];
	return NULL;
}

/* Every entry is a route's, once per route; the table passes its own check. */
static void test_table(void **state)
{
	struct zl_error e = ZL_ERROR_INIT;
	struct zl_org_scope scopes[ZL_ROUTE_COUNT];

	(void)state;
	assert_true(zl_query_param_count > 0);
	for (size_t i = 0; i < zl_query_param_count; i++) {
		const struct zl_query_param *p = &zl_query_params[i];

		assert_in_range(p->route, 0, ZL_ROUTE_COUNT - 1);
		assert_string_equal(zl_routes[p->route].handler, p->handler);
		assert_true(p->name[0] != '\0');
		assert_true(p->description[0] != '\0');
		for (size_t j = 0; j < i; j++)
			if (zl_query_params[j].route == p->route)
				assert_string_not_equal(zl_query_params[j].name, p->name);
	}
	assert_int_equal(zl_query_params_check(&e), ZL_OK);
	assert_int_equal(zl_routes_check(scopes, &e), ZL_OK);
	/* A "query:NAME" org scope reads NAME: it is declared. */
	for (int i = 0; i < ZL_ROUTE_COUNT; i++)
		if (scopes[i].kind == ZL_SCOPE_QUERY)
			assert_true(zl_route_query_declared(i, scopes[i].name));
}

static void test_declared(void **state)
{
	(void)state;
	assert_true(zl_route_query_declared(ZL_ROUTE_ID_zl_h_enterprises_list, "region"));
	assert_true(zl_route_query_declared(ZL_ROUTE_ID_zl_h_enterprises_list, "cursor"));
	assert_false(zl_route_query_declared(ZL_ROUTE_ID_zl_h_enterprises_list, "regoin"));
	assert_false(zl_route_query_declared(ZL_ROUTE_ID_zl_h_enterprises_list, "Region"));
	assert_false(zl_route_query_declared(ZL_ROUTE_ID_zl_h_enterprises_list, ""));
	assert_false(zl_route_query_declared(ZL_ROUTE_ID_zl_h_version, "q"));
	assert_true(zl_route_query_declared(ZL_ROUTE_ID_zl_h_users_list, "org"));
	assert_false(zl_route_query_declared(-1, "q"));
	assert_false(zl_route_query_declared(ZL_ROUTE_COUNT, "q"));
	assert_true(zl_route_is_list(ZL_ROUTE_ID_zl_h_audit_list));
	assert_false(zl_route_is_list(ZL_ROUTE_ID_zl_h_public_enterprises_search));
	assert_false(zl_route_is_list(-1));
}

/* zl_list_parse() on one pair; ZL_OK or its error code. */
static int list_parse(const char *name, const char *value)
{
	struct zl_req req;
	struct zl_list_params lp;
	struct zl_error e = ZL_ERROR_INIT;

	memset(&req, 0, sizeof(req));
	req.query[0].key = name;
	req.query[0].value = value;
	req.nquery = 1;
	return zl_list_parse(&req, &lp, &e);
}

/*
 * A list route declares exactly the list parameters zl_list_parse() reads,
 * with the range and values it accepts.
 */
static void test_list_routes(void **state)
{
	int lists = 0;

	(void)state;
	for (int r = 0; r < ZL_ROUTE_COUNT; r++) {
		const struct zl_query_param *limit = find(r, "limit"), *format = find(r, "format");
		const struct zl_query_param *lang = find(r, "lang"), *cursor = find(r, "cursor");
		char buf[64], *v, *save = NULL;
		long max;

		for (size_t i = 0; i < zl_query_param_count; i++)
			if (zl_query_params[i].route == r && zl_query_params[i].list)
				assert_true(zl_route_is_list(r));
		if (!zl_route_is_list(r))
			continue;
		lists++;
		assert_true(zl_routes[r].method == ZL_M_GET);
		assert_non_null(limit);
		assert_non_null(format);
		assert_non_null(lang);
		assert_non_null(cursor);
		assert_true(limit->list && format->list && lang->list && cursor->list);
		assert_int_equal(limit->type, ZL_QT_INTEGER);
		assert_string_equal(limit->values, "1..500");
		max = strtol(strstr(limit->values, "..") + 2, NULL, 10);
		snprintf(buf, sizeof(buf), "%ld", max);
		assert_int_equal(list_parse("limit", buf), ZL_OK);
		snprintf(buf, sizeof(buf), "%ld", max + 1);
		assert_int_equal(list_parse("limit", buf), ZL_EINVAL);
		assert_int_equal(list_parse("limit", "0"), ZL_EINVAL);
		snprintf(buf, sizeof(buf), "%s", format->values);
		for (v = strtok_r(buf, "|", &save); v; v = strtok_r(NULL, "|", &save))
			assert_int_equal(list_parse("format", v), ZL_OK);
		assert_int_equal(list_parse("format", "pdf"), ZL_EINVAL);
		snprintf(buf, sizeof(buf), "%s", lang->values);
		for (v = strtok_r(buf, "|", &save); v; v = strtok_r(NULL, "|", &save))
			assert_int_equal(list_parse("lang", v), ZL_OK);
		assert_int_equal(list_parse("lang", "fr"), ZL_EINVAL);
	}
	assert_true(lists >= 6);
}

static cJSON *member(cJSON *o, const char *k)
{
	cJSON *m = cJSON_GetObjectItem(o, k);

	if (!m)
		fail_msg("missing member %s", k);
	return m;
}

/* Each operation lists its query parameters; routes with format=csv|xlsx offer the files. */
static void test_openapi(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	struct zl_error e = ZL_ERROR_INIT;
	cJSON *doc;

	(void)state;
	assert_int_equal(zl_openapi_write(&b, "1", &e), ZL_OK);
	doc = cJSON_Parse(zl_buf_str(&b));
	assert_non_null(doc);
	for (int r = 0; r < ZL_ROUTE_COUNT; r++) {
		char method[16];
		size_t k, n = 0;
		cJSON *op, *params, *p, *content;
		const struct zl_query_param *format = find(r, "format");

		for (k = 0; zl_routes[r].method_name[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)(zl_routes[r].method_name[k] - 'A' + 'a');
		method[k] = '\0';
		op = member(member(member(doc, "paths"), zl_routes[r].pattern), method);
		params = cJSON_GetObjectItem(op, "parameters");
		cJSON_ArrayForEach(p, params)
		{
			const struct zl_query_param *q = find(r, member(p, "name")->valuestring);

			assert_string_equal(member(p, "in")->valuestring, "query");
			assert_true(cJSON_IsFalse(member(p, "required")));
			assert_non_null(q);
			assert_string_equal(member(member(p, "schema"), "type")->valuestring,
					    zl_query_type_name(q->type));
			assert_string_equal(member(p, "description")->valuestring, q->description);
			if (q->type == ZL_QT_STRING && q->values[0])
				assert_true(cJSON_GetArraySize(
						    member(member(p, "schema"), "enum")) > 1);
			n++;
		}
		for (size_t i = 0; i < zl_query_param_count; i++)
			n -= zl_query_params[i].route == r;
		assert_int_equal(n, 0);
		content = member(member(member(op, "responses"), "200"), "content");
		assert_non_null(cJSON_GetObjectItem(content, zl_routes[r].media));
		if (zl_route_is_list(r) || (format && strstr(format->values, "csv"))) {
			assert_non_null(cJSON_GetObjectItem(content, "text/csv"));
			assert_non_null(cJSON_GetObjectItem(
				content, "application/"
					 "vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
		} else {
			assert_null(cJSON_GetObjectItem(content, "text/csv"));
		}
	}
	/* The enum and the range of one parameter each, exactly. */
	{
		cJSON *ps = member(
			member(member(member(doc, "paths"), "/api/v1/public/enterprises"), "get"),
			"parameters");
		cJSON *limit = cJSON_GetArrayItem(ps, 1);

		assert_string_equal(member(limit, "name")->valuestring, "limit");
		assert_int_equal(member(member(limit, "schema"), "minimum")->valueint, 1);
		assert_int_equal(member(member(limit, "schema"), "maximum")->valueint, 20);
	}
	cJSON_Delete(doc);
	zl_buf_release(&b);
}

/* The Markdown route table has a Query column with each route's parameters. */
static void test_markdown(void **state)
{
	struct zl_buf md = ZL_BUF_INIT(1 << 20);
	struct zl_error e = ZL_ERROR_INIT;
	const char *s;

	(void)state;
	assert_int_equal(zl_routes_markdown(&md, &e), ZL_OK);
	s = zl_buf_str(&md);
	assert_non_null(strstr(s, "| Method | Path | Summary | Query | Response |"));
	assert_non_null(strstr(s, "`status` (operating\\|revoked\\|cancelled)"));
	assert_non_null(strstr(s, "`q`, `limit` (1..20), `cursor` |"));
	assert_non_null(strstr(s, "`tree` (boolean)"));
	assert_non_null(strstr(s, ", *list* |"));
	assert_non_null(strstr(s, "stands for `limit` (1..500), `cursor`, `format`"));
	zl_buf_release(&md);
}

/* zl_req_query() on a request the server dispatched (req->srv set). */
static void test_req_query(void **state)
{
	static char fake_srv;
	struct zl_req req;
	pid_t pid;
	int status = 0;

	(void)state;
	memset(&req, 0, sizeof(req));
	req.srv = (struct zl_http_server *)(void *)&fake_srv;
	req.route = ZL_ROUTE_ID_zl_h_enterprises_list;
	req.query[0].key = "region";
	req.query[0].value = "410100";
	req.query[1].key = "regoin";
	req.query[1].value = "410200";
	req.nquery = 2;
	assert_string_equal(zl_req_query(&req, "region"), "410100");
	assert_null(zl_req_query(&req, "status"));
	/* Hand-built requests (no server) read anything, as before. */
	req.srv = NULL;
	assert_string_equal(zl_req_query(&req, "regoin"), "410200");
	req.srv = (struct zl_http_server *)(void *)&fake_srv;
	/* An undeclared name: NULL (logged), or abort in a sanitizer build. */
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		(void)close(2); /* the expected message is not a test failure */
		_exit(zl_req_query(&req, "regoin") == NULL ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (STRICT) {
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGABRT);
	} else {
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),	    cmocka_unit_test(test_declared),
		cmocka_unit_test(test_list_routes), cmocka_unit_test(test_openapi),
		cmocka_unit_test(test_markdown),    cmocka_unit_test(test_req_query),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
