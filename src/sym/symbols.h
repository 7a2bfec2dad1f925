/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel symbol index: /proc/kallsyms (or a snapshot of it) read once into a
 * sorted table, answered by binary search.
 */
#ifndef DW_SYMBOLS_H
#define DW_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sym_index;

struct sym_result {
	const char *name;
	const char *module;	/* NULL for the core kernel */
	uint64_t offset;	/* address - symbol start */
	uint64_t size;		/* distance to the next symbol (bounded at the region's end) */
};

struct sym_load_info {
	size_t symbols;		/* text symbols kept */
	size_t bad_lines;	/* lines that did not parse, skipped */
	unsigned int first_bad_line;
	bool restricted;	/* every address read as zero: kptr_restrict or no privilege */
};

/*
 * Returns 0; -errno when the file cannot be read; -ENODATA when it holds no text
 * symbol; -EPERM when every address is zero (info->restricted).
 */
int sym_index_load(const char *path, struct sym_index **out, struct sym_load_info *info);
/* Loads from a buffer (the whole kallsyms text); the same rules as sym_index_load. */
int sym_index_load_buf(const char *buf, size_t len, struct sym_index **out,
		       struct sym_load_info *info);
void sym_index_free(struct sym_index *idx);
size_t sym_index_count(const struct sym_index *idx);

/* 0 and @res filled, or -ENOENT when no symbol covers @addr. */
int sym_lookup(const struct sym_index *idx, uint64_t addr, struct sym_result *res);

#endif
