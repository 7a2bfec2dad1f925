// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms lines are "ADDRESS TYPE NAME[\t[MODULE]]". Only text symbols
 * (t, T, w, W) can be drop locations; the rest are skipped. A symbol's size is
 * the distance to the next text symbol of the same region (core kernel or
 * one module). kallsyms gives no size for the last symbol of a region, so it
 * is taken to end at the next page boundary: an address beyond that is not
 * "last_symbol+0x123456", it is unknown.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "symbols.h"
#include "util.h"

/* A kallsyms file read whole: today's are 10 to 20 MiB. */
#define SYM_FILE_MAX (1u << 30)

#define SYM_REGION_TAIL 4096	/* assumed extent of a region's last symbol: its page */

struct sym_entry {
	uint64_t addr;
	uint64_t end;
	uint32_t name;		/* offset in the string pool */
	uint32_t module;	/* offset in the pool, or 0 for the core kernel */
};

struct sym_index {
	struct sym_entry *syms;
	size_t n;
	char *pool;		/* pool[0] is the empty string */
	size_t pool_len, pool_cap;
	uint32_t *mods;		/* interned module names (pool offsets) */
	size_t nmods, mods_cap, last_mod;
};

static int pool_add(struct sym_index *idx, const char *s, size_t len, uint32_t *off);

/* One pool offset per module name, so that region tests compare offsets. */
static int intern_module(struct sym_index *idx, const char *mod, size_t len, uint32_t *off)
{
	size_t i;

	for (i = 0; i < idx->nmods; i++) {
		size_t k = (idx->last_mod + i) % idx->nmods;
		const char *m = idx->pool + idx->mods[k];

		if (strlen(m) == len && !memcmp(m, mod, len)) {
			idx->last_mod = k;
			*off = idx->mods[k];
			return 0;
		}
	}
	if (util_grow(&idx->mods, &idx->mods_cap, idx->nmods + 1, sizeof(*idx->mods), 64))
		return -ENOMEM;
	if (pool_add(idx, mod, len, off))
		return -ENOMEM;
	idx->last_mod = idx->nmods;
	idx->mods[idx->nmods++] = *off;
	return 0;
}

static int pool_add(struct sym_index *idx, const char *s, size_t len, uint32_t *off)
{
	if (idx->pool_len + len + 1 > UINT32_MAX)
		return -EOVERFLOW;
	if (util_grow(&idx->pool, &idx->pool_cap, idx->pool_len + len + 1, 1, 1 << 20))
		return -ENOMEM;
	memcpy(idx->pool + idx->pool_len, s, len);
	idx->pool[idx->pool_len + len] = '\0';
	*off = idx->pool_len;
	idx->pool_len += len + 1;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct sym_entry *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Keep a stable, deterministic choice among aliases: lowest pool offset first. */
	return x->name < y->name ? -1 : x->name > y->name;
}

/*
 * Into address order. /proc/kallsyms lists the kernel's own symbols in order, then
 * those of modules, eBPF programs and trampolines: only that tail is sorted, then
 * merged with the rest, which costs a tenth of sorting it all.
 */
static void sort_entries(struct sym_entry *e, size_t n)
{
	size_t p = 1, i, j, k;
	struct sym_entry *tail;

	while (p < n && cmp_entry(&e[p - 1], &e[p]) <= 0)
		p++;
	if (p >= n)
		return;
	qsort(e + p, n - p, sizeof(*e), cmp_entry);
	if (cmp_entry(&e[p - 1], &e[p]) <= 0)
		return;
	tail = malloc((n - p) * sizeof(*e));
	if (!tail) {
		qsort(e, n, sizeof(*e), cmp_entry);
		return;
	}
	memcpy(tail, e + p, (n - p) * sizeof(*e));
	/* From the back: the larger of the two ends goes last. */
	for (i = p, j = n - p, k = n; j > 0;)
		e[--k] = i > 0 && cmp_entry(&e[i - 1], &tail[j - 1]) > 0 ? e[--i] : tail[--j];
	free(tail);
}

/* Parses one line; returns 1 kept, 0 skipped (not text), -1 malformed. */
static int parse_line(struct sym_index *idx, const char *line, size_t len, size_t *cap,
		      bool *nonzero)
{
	const char *p = line, *end = line + len, *name, *mod = NULL;
	size_t name_len, mod_len = 0;
	uint64_t addr = 0;
	int digits = 0;
	char type;
	struct sym_entry *e;

	while (p < end && isxdigit((unsigned char)*p) && digits < 17) {
		int c = *p++;

		addr = (addr << 4) | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		digits++;
	}
	if (digits == 0 || digits > 16 || p >= end || *p != ' ')
		return -1;
	p++;
	/* A letter, or '?' where the kernel cannot tell the type (__nosave_begin...). */
	if (p >= end || !(isalpha((unsigned char)*p) || *p == '?'))
		return -1;
	type = *p++;
	if (p >= end || *p != ' ')
		return -1;
	p++;
	name = p;
	while (p < end && !isspace((unsigned char)*p))
		p++;
	name_len = p - name;
	if (name_len == 0)
		return -1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end) {
		const char *close;

		if (*p != '[')
			return -1;
		mod = p + 1;
		close = memchr(mod, ']', end - mod);
		if (!close || close == mod)
			return -1;
		mod_len = close - mod;
		for (p = close + 1; p < end; p++)
			if (!isspace((unsigned char)*p))
				return -1;
	}
	if (type != 't' && type != 'T' && type != 'w' && type != 'W')
		return 0;
	if (addr)
		*nonzero = true;

	if (util_grow(&idx->syms, cap, idx->n + 1, sizeof(*idx->syms), 1 << 16))
		return -2;
	e = &idx->syms[idx->n];
	e->addr = addr;
	e->module = 0;
	if (pool_add(idx, name, name_len, &e->name))
		return -2;
	if (mod && intern_module(idx, mod, mod_len, &e->module))
		return -2;
	idx->n++;
	return 1;
}

static void compute_ends(struct sym_index *idx)
{
	size_t i;

	for (i = 0; i < idx->n; i++) {
		struct sym_entry *e = &idx->syms[i];
		size_t j = i + 1;

		/* Aliases share an address: the end is the next distinct address. */
		while (j < idx->n && idx->syms[j].addr == e->addr)
			j++;
		if (j < idx->n && idx->syms[j].module == e->module) {
			e->end = idx->syms[j].addr;
		} else {
			uint64_t tail = (e->addr | (SYM_REGION_TAIL - 1)) + 1;

			e->end = tail ? tail : UINT64_MAX;
			if (j < idx->n && idx->syms[j].addr < e->end)
				e->end = idx->syms[j].addr;
		}
	}
}

int sym_index_load_buf(const char *buf, size_t len, struct sym_index **out,
		       struct sym_load_info *info)
{
	struct sym_index *idx;
	const char *p = buf, *end = buf + len;
	unsigned int lineno = 0;
	bool nonzero = false;
	size_t cap = 0;
	uint32_t empty;
	int err = 0;

	memset(info, 0, sizeof(*info));
	idx = calloc(1, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	if (pool_add(idx, "", 0, &empty)) {
		err = -ENOMEM;
		goto fail;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		int r;

		lineno++;
		if (l > 0) {
			r = parse_line(idx, p, l, &cap, &nonzero);
			if (r == -2) {
				err = -ENOMEM;
				goto fail;
			}
			if (r < 0) {
				if (!info->bad_lines)
					info->first_bad_line = lineno;
				info->bad_lines++;
			}
		}
		p += l + 1;
	}
	if (idx->n == 0) {
		err = -ENODATA;
		goto fail;
	}
	if (!nonzero) {
		info->restricted = true;
		info->symbols = idx->n;
		err = -EPERM;
		goto fail;
	}
	sort_entries(idx->syms, idx->n);
	compute_ends(idx);
	info->symbols = idx->n;
	*out = idx;
	return 0;
fail:
	sym_index_free(idx);
	return err;
}

int sym_index_load(const char *path, struct sym_index **out, struct sym_load_info *info)
{
	char *buf = NULL;
	size_t len = 0;
	int err;

	memset(info, 0, sizeof(*info));
	err = util_read_file(path, SYM_FILE_MAX, &buf, &len);
	if (!err)
		err = sym_index_load_buf(buf, len, out, info);
	free(buf);
	return err;
}

void sym_index_free(struct sym_index *idx)
{
	if (!idx)
		return;
	free(idx->syms);
	free(idx->pool);
	free(idx->mods);
	free(idx);
}

size_t sym_index_count(const struct sym_index *idx)
{
	return idx ? idx->n : 0;
}

int sym_lookup(const struct sym_index *idx, uint64_t addr, struct sym_result *res)
{
	size_t lo = 0, hi;
	const struct sym_entry *e;

	if (!idx || idx->n == 0 || addr < idx->syms[0].addr)
		return -ENOENT;
	hi = idx->n;
	/* Find the last entry whose address is <= addr. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (idx->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/* Among aliases at that address, report the first one. */
	while (lo > 0 && idx->syms[lo - 1].addr == idx->syms[lo].addr)
		lo--;
	e = &idx->syms[lo];
	if (addr >= e->end)
		return -ENOENT;
	res->name = idx->pool + e->name;
	res->module = e->module ? idx->pool + e->module : NULL;
	res->offset = addr - e->addr;
	res->size = e->end - e->addr;
	return 0;
}
