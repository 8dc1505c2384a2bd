/*
 * catalogue.h - the seed of Henan's key-product catalogue (重点监管产品目录): the table
 * catalogue_henan.def as three immutable arrays - product categories, the standards that
 * apply to them and the test items a spot check examines - for the store to load once
 * (store/catalogue.h, zl_store_cat_seed) and for tests.  After that the catalogue lives in
 * the database and is edited there; this is where it starts, not what it is.
 * Pure: static tables, no allocation; returned pointers are static.
 */
#ifndef ZL_CODES_CATALOGUE_H
#define ZL_CODES_CATALOGUE_H

#include <stddef.h>

struct zl_cat_seed {
	const char *code;	/* "04", "0401" */
	const char *parent;	/* "" for a family */
	const char *name;	/* 普通硅酸盐水泥（P·O 42.5） */
	int risk;		/* 1 = Ⅰ, 2 = Ⅱ, 3 = Ⅲ */
	int key_from, key_to;	/* years key-supervised, inclusive; key_to 0 = open */
	const char *industries; /* GB/T 4754-2017 codes joined by '|' */
	int confirmed;		/* 0: something in the row or its items is unconfirmed */
	const char *note;
};

struct zl_cat_seed_std {
	const char *code;   /* the category */
	const char *number; /* "GB 175", without the year */
	int year;	    /* 2007; 0 unknown */
	const char *title;
	int confirmed;
};

struct zl_cat_seed_item {
	const char *code; /* the category */
	const char *name;
	const char *unit;     /* "" none */
	const char *min;      /* decimal text, "" none */
	const char *max;      /* decimal text, "" none */
	const char *text;     /* the limit in words, "" none */
	const char *method;   /* test-method standard */
	const char *severity; /* "serious" | "general" */
	int confirmed;
};

/* The categories in file order (each family before its products). */
size_t zl_cat_seed_count(void);
const struct zl_cat_seed *zl_cat_seed_at(size_t i);

/* Every standard and every test item of the table, in file order (grouped by category). */
size_t zl_cat_seed_std_count(void);
const struct zl_cat_seed_std *zl_cat_seed_std_at(size_t i);
size_t zl_cat_seed_item_count(void);
const struct zl_cat_seed_item *zl_cat_seed_item_at(size_t i);

#endif /* ZL_CODES_CATALOGUE_H */
