/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where a drop happened, as names: a kernel address (or the kernel's own
 * "%pS" text of it) to a symbol, offset and module, escaped for printing
 * (pr_escape's rule) and kept. The symbol index is read from /proc/kallsyms
 * the first time an address needs a name, or given (a snapshot). Each address
 * is named once: the names stay valid until symres_checkpoint() finds the
 * cache full, or the index changes.
 */
#ifndef DW_SYMRES_H
#define DW_SYMRES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symbols.h"

struct location {
	bool known;		/* a symbol was found; else only the address is known */
	uint64_t offset;
	const char *name;	/* "" when unknown */
	const char *module;	/* "" for the core kernel */
	const char *text;	/* "name+0xOFF", or "0xADDR" when unknown */
	const char *shown;	/* the kernel's text (escaped) when it sent one, else text */
	size_t text_len, shown_len;
};

struct symres;

struct symres *symres_new(void);
void symres_free(struct symres *s);

/*
 * Reads a kallsyms file into the index now. @explicit: the user named it, so
 * a file that cannot be used is an error (-1); otherwise a note, and raw
 * addresses (0). Messages go to stderr.
 */
int symres_load(struct symres *s, const char *path, bool explicit);
/* /proc/kallsyms, read when an address first needs a name. */
void symres_load_lazily(struct symres *s);
/*
 * A lazy load, done now: before a run starts, so that reading /proc/kallsyms
 * (half a second on a slow machine) does not hold up the first drops' alerts
 * and the run's tables.
 */
void symres_load_pending(struct symres *s);
bool symres_has_index(const struct symres *s);
/* Replaces the index (taken over; NULL: none) and forgets every name. */
void symres_set_index(struct symres *s, struct sym_index *idx);

/* @pc by the index. */
const struct location *symres_pc(struct symres *s, uint64_t pc);
/* @pc by the kernel's "%pS" text of it (name+0xOFF/0xSIZE [module]). */
const struct location *symres_text(struct symres *s, uint64_t pc, const char *ktext);
/*
 * Call between records: when the cache is full, it is emptied (names handed
 * out before become invalid).
 */
void symres_checkpoint(struct symres *s);

#endif
