/*
 * catalogue.c - the seed catalogue table (catalogue.h) from catalogue_henan.def, expanded
 * three times: categories, standards, test items.  Out-of-range indexes give NULL.
 */
#include "codes/catalogue.h"

#define ZL_CAT(code, parent, name, risk, from, to, ind, conf, note)                                \
	{code, parent, name, risk, from, to, ind, conf, note},
#define ZL_CAT_STD(code, number, year, title, conf)
#define ZL_CAT_ITEM(code, name, unit, min, max, text, method, sev, conf)
static const struct zl_cat_seed cats[] = {
#include "codes/catalogue_henan.def"
};
#undef ZL_CAT
#undef ZL_CAT_STD
#undef ZL_CAT_ITEM

#define ZL_CAT(code, parent, name, risk, from, to, ind, conf, note)
#define ZL_CAT_STD(code, number, year, title, conf) {code, number, year, title, conf},
#define ZL_CAT_ITEM(code, name, unit, min, max, text, method, sev, conf)
static const struct zl_cat_seed_std stds[] = {
#include "codes/catalogue_henan.def"
};
#undef ZL_CAT
#undef ZL_CAT_STD
#undef ZL_CAT_ITEM

#define ZL_CAT(code, parent, name, risk, from, to, ind, conf, note)
#define ZL_CAT_STD(code, number, year, title, conf)
#define ZL_CAT_ITEM(code, name, unit, min, max, text, method, sev, conf)                           \
	{code, name, unit, min, max, text, method, sev, conf},
static const struct zl_cat_seed_item items[] = {
#include "codes/catalogue_henan.def"
};
#undef ZL_CAT
#undef ZL_CAT_STD
#undef ZL_CAT_ITEM

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

size_t zl_cat_seed_count(void)
{
	return COUNT(cats);
}

const struct zl_cat_seed *zl_cat_seed_at(size_t i)
{
	return i < COUNT(cats) ? &cats[i] : NULL;
}

size_t zl_cat_seed_std_count(void)
{
	return COUNT(stds);
}

const struct zl_cat_seed_std *zl_cat_seed_std_at(size_t i)
{
	return i < COUNT(stds) ? &stds[i] : NULL;
}

size_t zl_cat_seed_item_count(void)
{
	return COUNT(items);
}

const struct zl_cat_seed_item *zl_cat_seed_item_at(size_t i)
{
	return i < COUNT(items) ? &items[i] : NULL;
}
