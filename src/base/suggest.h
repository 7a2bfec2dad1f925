/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "Did you mean": the candidate a mistyped word most likely stands for. */
#ifndef DW_SUGGEST_H
#define DW_SUGGEST_H

#include <stddef.h>

/* Edit distance with adjacent transpositions (typos), capped at 255. */
unsigned int suggest_distance(const char *a, const char *b);
/*
 * The candidate the user most likely meant, ignoring case: the one @word is,
 * else the only one @word is a prefix of, else the only one within one typo
 * per three letters (at most two); NULL when none or ambiguous.
 */
const char *suggest(const char *word, const char *const *cands, size_t n);

#endif
