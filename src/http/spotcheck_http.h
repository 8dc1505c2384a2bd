/*
 * spotcheck_http.h - request JSON of the catalogue and of spot-check plans
 * read into the domain's inputs (domain/catalogue.h, domain/spotcheck.h),
 * with refusals naming the member path ("items[2].severity",
 * "products[0].quotas.410100", "frequency.B.II"); and a stored plan turned
 * back into an input, so a PATCH changes only the members it names (a
 * category's is store/catalogue.h's zl_cat_input_of).
 * http/catalogue.c and http/spotcheck_plans.c answer with these; the fuzz
 * target tests/fuzz/fuzz_spotcheck_input.c reads with them.
 *
 * Strings point into the cJSON tree or req->arena; arrays are in
 * req->arena.  ZL_EUNPROC (422) for a wrong member, ZL_ENOMEM.
 */
#ifndef ZL_HTTP_SPOTCHECK_HTTP_H
#define ZL_HTTP_SPOTCHECK_HTTP_H

#include "core/json.h"
#include "domain/catalogue.h"
#include "domain/spotcheck.h"
#include "http/http.h"
#include "store/catalogue.h"
#include "store/spotcheck_plans.h"

/*
 * A category: {"code","parent"?,"name","risk","key_supervised"?,"key_from"?,
 * "key_to"?,"note"?,"industries"?,"standards"?,"items"?}.  With `patch`,
 * `in` holds the category as it is and only the members present replace
 * it ("parent":null makes it a family); "code" is then refused (it is the
 * path's) and "status" and "version" are read into *status and *version
 * (NULL / 0 when absent).  Without `patch`, `in` is cleared first.
 */
int zl_cat_http_parse(struct zl_req *req, const cJSON *body, int patch, struct zl_cat_in *in,
		      const char **status, int *version, struct zl_error *err);

/*
 * A plan: {"title","year"?,"kind","org","budget_fen"?,"start","end","note"?,
 * "labs"?,"places","products","frequency"?}; "year" defaults to the start's
 * year.  "quotas" of a product is an object of region code -> batches
 * (positive whole numbers); "places" entries carry "share" or "batches";
 * "frequency" is {"AA":{"I":w,"II":w,"III":w},"A":...,"B":...,"C":...}
 * with every cell a positive number.  With `patch`, `in` holds the plan as
 * it is, the members present replace it and "version" is read into
 * *version (0 when absent); without, `in` is cleared first.
 */
int zl_sc_http_parse_plan(struct zl_req *req, const cJSON *body, int patch,
			  struct zl_sc_plan_in *in, int *version, struct zl_error *err);

/* Plan `p` (read whole) as an input (arrays in req->arena), for PATCH. */
int zl_sc_http_plan_input(struct zl_req *req, const struct zl_sc_plan *p, struct zl_sc_plan_in *in,
			  struct zl_error *err);

/*
 * The caller as the plans' rules see it (domain/spotcheck.h): its path, its
 * spotcheck.plan and spotcheck.approve, and who->user; strings borrowed.
 * Plans and draws (http/draws.c) are seen and acted on by the same rules.
 */
void zl_sc_http_caller(const struct zl_req *req, const struct zl_plan_actor *who,
		       struct zl_sc_caller *c);

#endif /* ZL_HTTP_SPOTCHECK_HTTP_H */
