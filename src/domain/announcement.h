/*
 * announcement.h - the completeness rule of a result announcement
 * (抽查结果公告, docs/results.md "Publication"): a failure is published
 * only with the enterprise (credit code and name), the product, the batch
 * (a batch number or a production date) and at least one failing item,
 * since a notice that names a failure must let the public find the product
 * and the enterprise answer for it.  A pass needs the enterprise and the
 * product.  Pure: facts in, the first missing field out.
 */
#ifndef ZL_DOMAIN_ANNOUNCEMENT_H
#define ZL_DOMAIN_ANNOUNCEMENT_H

/* One result as the rule sees it; NULL and "" are missing. */
struct zl_ann_facts {
	const char *uscc, *enterprise_name;
	const char *product; /* catalogue code or the product as written */
	const char *batch, *production_date;
	const char *result; /* pass | fail */
	int failing_items;  /* items the final verdict failed */
};

/*
 * NULL when the result may be published, else the name of the first
 * missing field: "uscc", "enterprise_name", "product", "batch" (neither
 * batch nor production date), "failing_items" or "result".
 */
const char *zl_ann_incomplete(const struct zl_ann_facts *f);

#endif /* ZL_DOMAIN_ANNOUNCEMENT_H */
