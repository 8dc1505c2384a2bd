/*
 * postings.h - sorted lists of enterprise ids (postings) for the name
 * index: their compact on-disk form, set operations, and an in-memory
 * builder that collects the postings of many grams for a bulk write.
 *
 * The name index (store/enterprise_index.h) keeps, per gram, the sorted,
 * distinct ids (`eid`, > 0) of the enterprises whose current or former
 * names contain that gram.  Stored as one blob per gram, a list reads in
 * one row and a bulk import writes one row per distinct gram instead of a
 * row per (gram, enterprise) pair.
 *
 * Blob format (version 1), documented in docs/search.md so that others
 * can read it:
 *   byte 0      : 0x01 (format version)
 *   then        : n, the number of ids, as an unsigned LEB128 varint
 *   then n times: the gap to the previous id (the first id's gap is from
 *                 0) as an unsigned LEB128 varint; every gap >= 1
 * A blob is valid only if it is exactly this long (no trailing bytes), no
 * varint is longer than 10 bytes or overflows 64 bits, every varint is in
 * its shortest form (no final 0x00 byte after the first; so a valid blob
 * re-encodes to the same bytes), every gap is >= 1, no id exceeds
 * ZL_EID_MAX, and n <= ZL_POSTINGS_MAX and n <= the bytes after the count
 * (every gap takes at least one).  The count is checked before any memory
 * is reserved for the ids.
 *
 * Pure: no I/O, no globals; thread-safe on distinct objects.
 */
#ifndef ZL_DOMAIN_POSTINGS_H
#define ZL_DOMAIN_POSTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define ZL_POSTINGS_FORMAT 1
#define ZL_EID_MAX ((uint64_t)INT64_MAX) /* ids travel as BIGINT */
#define ZL_POSTINGS_MAX ((uint64_t)1 << 32)

/* A growable list of ids; ZL_IDS_INIT is an empty one. */
struct zl_ids {
	uint64_t *v;
	size_t n, cap;
};
#define ZL_IDS_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void zl_ids_release(struct zl_ids *l);
void zl_ids_clear(struct zl_ids *l);		/* n = 0, keeps the memory */
int zl_ids_reserve(struct zl_ids *l, size_t n); /* room for n ids in all; ZL_ENOMEM */
int zl_ids_push(struct zl_ids *l, uint64_t id); /* append (no order check); ZL_ENOMEM */
/* Sort ascending and drop duplicates in place. */
void zl_ids_sort_unique(struct zl_ids *l);
/* 1 when the sorted list holds id (binary search). */
int zl_ids_contains(const struct zl_ids *l, uint64_t id);

/*
 * out = a ∩ b, or a ∪ b (both sorted and distinct; out is sorted and
 * distinct, and must not be a or b).  out is cleared first.  ZL_ENOMEM.
 */
int zl_ids_intersect(const struct zl_ids *a, const struct zl_ids *b, struct zl_ids *out);
int zl_ids_union(const struct zl_ids *a, const struct zl_ids *b, struct zl_ids *out);

/* Bytes an encoding of n ids can take at most. */
size_t zl_postings_bound(size_t n);

/*
 * Encode ids[0..n) (strictly increasing, each 1..ZL_EID_MAX) into out
 * (room for zl_postings_bound(n) bytes).  Returns the bytes written, or 0
 * when the ids are not strictly increasing or out of range.
 */
size_t zl_postings_encode(const uint64_t *ids, size_t n, uint8_t *out);

/*
 * The id count a blob announces, without decoding it: ZL_OK and *n, or
 * ZL_EINVAL (err->field "postings") when the header is malformed (this
 * includes a count larger than the bytes that follow could hold, so pass
 * the whole blob).
 */
int zl_postings_count(const uint8_t *p, size_t len, uint64_t *n, struct zl_error *err);

/*
 * Decode a blob and APPEND its ids to out (which keeps what it held).
 * ZL_OK, ZL_EINVAL with a reason in err (field "postings") for any blob
 * that breaks the rules above (out then holds what it held before), or
 * ZL_ENOMEM.
 */
int zl_postings_decode(const uint8_t *p, size_t len, struct zl_ids *out, struct zl_error *err);

/*
 * Builder: postings of many grams collected in memory for one bulk write.
 * Grams are the NUL-terminated strings of domain/grams.h (< ZL_GRAM_SIZE
 * bytes).  Memory is about 8 bytes per posting plus 48 per distinct gram.
 */
struct zl_gram_builder;

int zl_gram_builder_new(struct zl_gram_builder **out); /* ZL_ENOMEM */
void zl_gram_builder_free(struct zl_gram_builder *b);  /* NULL is a no-op */
/*
 * Add (gram, id).  Duplicates and any order are allowed. ZL_ENOMEM, or
 * ZL_EINVAL for an empty gram, one of ZL_GRAM_SIZE bytes or more, or an id
 * of 0 or above ZL_EID_MAX (nothing is added then).
 */
int zl_gram_builder_add(struct zl_gram_builder *b, const char *gram, uint64_t id);
/* Add every gram of `name` (zl_name_grams) for id. ZL_ENOMEM, ZL_EINVAL (id). */
int zl_gram_builder_add_name(struct zl_gram_builder *b, const char *name, uint64_t id);
size_t zl_gram_builder_postings(const struct zl_gram_builder *b); /* pairs added so far */
size_t zl_gram_builder_grams(const struct zl_gram_builder *b);	  /* distinct grams */

/*
 * Called per distinct gram, in ascending byte order of the gram, with its
 * ids sorted and distinct (valid during the call).  Non-zero stops the walk
 * and is returned.
 */
typedef int zl_gram_postings_fn(void *cls, const char *gram, const uint64_t *ids, size_t n);

/*
 * Walk the builder's grams (sorting each list first), then empty it for
 * reuse.  Returns ZL_OK, fn's non-zero value (the builder is emptied all
 * the same: the grams after the stop are dropped), or ZL_ENOMEM before
 * anything is walked (the builder then keeps its postings).
 */
int zl_gram_builder_drain(struct zl_gram_builder *b, zl_gram_postings_fn *fn, void *cls);

#endif /* ZL_DOMAIN_POSTINGS_H */
