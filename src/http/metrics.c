/*
 * metrics.c - GET /metrics in the Prometheus text format 0.0.4, and the
 * lock-free counters behind it.
 *
 * Names (documented in docs/http.md):
 *   zhiliang_http_requests_total{route,method,status}     counter
 *   zhiliang_http_request_duration_seconds{route}         histogram
 *   zhiliang_http_open_connections                        gauge
 *   zhiliang_db_pool_connections                          gauge
 *   zhiliang_build_info{version}                          gauge, always 1
 * A route label is the route pattern, "static" for web UI files, or "none"
 * when nothing matched (404, 405, 400, 413).  Recording uses relaxed atomic
 * adds only; a scrape reads each counter once and may see a request counted
 * in one series and not yet in another, which Prometheus tolerates.
 */
#include "http/handlers.h"
#include "http/internal.h"

/* Statuses with their own slot; anything else is counted in its class ("5xx"). */
static const int status_codes[ZL_MET_STATUSES - 5] = {
	200, 201, 204, 206, 301, 302, 304, 400, 401, 403,
	404, 405, 409, 413, 415, 422, 429, 500, 503,
};
static const char *const status_class[5] = {"1xx", "2xx", "3xx", "4xx", "5xx"};

/* Upper bounds in microseconds; the last slot is +Inf. */
static const uint64_t bucket_us[ZL_MET_BUCKETS] = {
	100,   250,    500,    1000,   2500,	5000,	 10000,	  25000,
	50000, 100000, 250000, 500000, 1000000, 2500000, 5000000,
};

static unsigned status_slot(int status)
{
	const unsigned n = ZL_MET_STATUSES - 5;
	int cls;

	for (unsigned i = 0; i < n; i++)
		if (status_codes[i] == status)
			return i;
	cls = status / 100;
	if (cls < 1 || cls > 5)
		cls = 5;
	return n + (unsigned)(cls - 1);
}

void zl_metrics_observe(struct zl_http_metrics *m, int slot, enum zl_method method, int status,
			uint64_t usec)
{
	unsigned b = 0;

	if (slot < 0 || slot >= ZL_MET_ROUTES)
		slot = ZL_MET_ROUTE_NONE;
	atomic_fetch_add_explicit(&m->requests[slot][zl_method_index(method)][status_slot(status)],
				  1, memory_order_relaxed);
	while (b < ZL_MET_BUCKETS && usec > bucket_us[b])
		b++;
	atomic_fetch_add_explicit(&m->buckets[slot][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->dur_count[slot], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->dur_sum_us[slot], usec, memory_order_relaxed);
}

static const char *slot_label(int slot)
{
	if (slot == ZL_MET_ROUTE_STATIC)
		return "static";
	if (slot == ZL_MET_ROUTE_NONE)
		return "none";
	return zl_routes[slot].pattern;
}

static void status_label(unsigned s, char *dst, size_t n)
{
	if (s < ZL_MET_STATUSES - 5)
		snprintf(dst, n, "%d", status_codes[s]);
	else
		snprintf(dst, n, "%s", status_class[s - (ZL_MET_STATUSES - 5)]);
}

/* Prometheus label values escape backslash, quote and newline; ours are plain. */
int zl_metrics_write(struct zl_http_metrics *m, struct zl_http_server *srv, struct zl_buf *out)
{
	zl_buf_adds(out, "# HELP zhiliang_http_requests_total HTTP requests answered, by route "
			 "pattern, method and status.\n"
			 "# TYPE zhiliang_http_requests_total counter\n");
	for (int r = 0; r < ZL_MET_ROUTES; r++)
		for (unsigned k = 0; k < ZL_M_COUNT; k++)
			for (unsigned s = 0; s < ZL_MET_STATUSES; s++) {
				uint64_t v = atomic_load_explicit(&m->requests[r][k][s],
								  memory_order_relaxed);
				char st[16];

				if (!v)
					continue;
				status_label(s, st, sizeof(st));
				zl_buf_addf(
					out,
					"zhiliang_http_requests_total{route=\"%s\",method=\"%s\","
					"status=\"%s\"} %llu\n",
					slot_label(r), zl_method_name((enum zl_method)(1u << k)),
					st, (unsigned long long)v);
			}
	zl_buf_adds(out, "# HELP zhiliang_http_request_duration_seconds Time from request line to "
			 "response queued, by route pattern.\n"
			 "# TYPE zhiliang_http_request_duration_seconds histogram\n");
	for (int r = 0; r < ZL_MET_ROUTES; r++) {
		uint64_t count = atomic_load_explicit(&m->dur_count[r], memory_order_relaxed);
		uint64_t cum = 0;

		if (!count)
			continue;
		for (unsigned b = 0; b <= ZL_MET_BUCKETS; b++) {
			cum += atomic_load_explicit(&m->buckets[r][b], memory_order_relaxed);
			if (b < ZL_MET_BUCKETS)
				zl_buf_addf(out,
					    "zhiliang_http_request_duration_seconds_bucket{route="
					    "\"%s\","
					    "le=\"%g\"} %llu\n",
					    slot_label(r), (double)bucket_us[b] / 1e6,
					    (unsigned long long)cum);
			else
				zl_buf_addf(out,
					    "zhiliang_http_request_duration_seconds_bucket{route="
					    "\"%s\","
					    "le=\"+Inf\"} %llu\n",
					    slot_label(r), (unsigned long long)cum);
		}
		zl_buf_addf(out, "zhiliang_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
			    slot_label(r),
			    (double)atomic_load_explicit(&m->dur_sum_us[r], memory_order_relaxed) /
				    1e6);
		/* _count equals the +Inf bucket, read above, so the two never disagree. */
		zl_buf_addf(out,
			    "zhiliang_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
			    slot_label(r), (unsigned long long)cum);
	}
	zl_buf_addf(out,
		    "# HELP zhiliang_http_open_connections Client connections currently open.\n"
		    "# TYPE zhiliang_http_open_connections gauge\n"
		    "zhiliang_http_open_connections %lld\n",
		    (long long)atomic_load_explicit(&m->open_connections, memory_order_relaxed));
	zl_buf_addf(out,
		    "# HELP zhiliang_db_pool_connections Database connections open in the pool "
		    "(one per worker thread that used it).\n"
		    "# TYPE zhiliang_db_pool_connections gauge\n"
		    "zhiliang_db_pool_connections %d\n",
		    srv->ctx->pool ? zl_db_pool_open_count(srv->ctx->pool) : 0);
	zl_buf_addf(out,
		    "# HELP zhiliang_build_info The running build; always 1.\n"
		    "# TYPE zhiliang_build_info gauge\n"
		    "zhiliang_build_info{version=\"%s\"} 1\n",
		    srv->version);
	return out->err;
}

int zl_h_metrics(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	int rc;

	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	rc = zl_metrics_write(req->srv->metrics, req->srv, &resp->body);
	if (rc)
		return zl_error_set(err, rc, NULL, "cannot render metrics");
	return ZL_OK;
}
