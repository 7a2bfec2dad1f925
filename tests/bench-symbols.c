// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbol benchmark (scripts/bench.sh): load time and memory of our index for a
 * kallsyms file, lookups per second over random text addresses, and the same
 * addresses through a rescan-per-miss lookup like dropwatch 1.5's (a list of
 * symbols found so far, searched in order, and a read of the whole file up to
 * the address at every miss). Prints key=value lines.
 *
 *   bench-symbols FILE [LOOKUPS] [RESCAN_LOOKUPS]
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "symbols.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Text symbol starts, in file order, to draw addresses from. */
static uint64_t *text_addrs(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[512], type;
	unsigned long long a;
	uint64_t *v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c", &a, &type) != 2 || !a ||
		    (type != 't' && type != 'T'))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 65536;
			v = realloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = a;
	}
	fclose(f);
	return v;
}

/* ---- the rescan-per-miss method ---- */

struct cached {
	uint64_t start, end;
	char *name;
	struct cached *next;
};

static struct cached *cache;
static size_t cached_n;

static const char *rescan_lookup(const char *path, uint64_t pc)
{
	unsigned long long addr, prev = 0;
	char line[512], name[256], prev_name[256] = "";
	struct cached *c;
	FILE *f;

	for (c = cache; c; c = c->next)
		if (pc >= c->start && pc <= c->end)
			return c->name;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %*s %255s", &addr, name) != 2)
			continue;
		if (prev && pc >= prev && pc < addr) {
			c = malloc(sizeof(*c));
			c->start = prev;
			c->end = addr - 1;
			c->name = strdup(prev_name);
			c->next = cache;
			cache = c;
			cached_n++;
			fclose(f);
			return c->name;
		}
		prev = addr;
		memcpy(prev_name, name, sizeof(prev_name));
	}
	fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc/kallsyms";
	long lookups = argc > 2 ? atol(argv[2]) : 1000000;
	long rescans = argc > 3 ? atol(argv[3]) : 2000;
	struct sym_index *idx;
	struct sym_load_info info;
	struct sym_result r;
	uint64_t *addrs, *pcs;
	size_t n, i, found = 0;
	long rss0, rss1;
	double t0, t1;

	addrs = text_addrs(path, &n);
	if (!n) {
		fprintf(stderr, "bench-symbols: no text symbols with addresses in %s\n", path);
		return 1;
	}
	/* Random addresses inside text symbols: a symbol start plus up to 255 bytes. */
	srand(1);
	pcs = malloc(lookups * sizeof(*pcs));
	for (i = 0; i < (size_t)lookups; i++)
		pcs[i] = addrs[(size_t)rand() % n] + (uint64_t)(rand() % 256);

	rss0 = max_rss_kb();
	t0 = now();
	if (sym_index_load(path, &idx, &info)) {
		fprintf(stderr, "bench-symbols: cannot load %s\n", path);
		return 1;
	}
	t1 = now();
	rss1 = max_rss_kb();
	printf("file=%s symbols=%zu load_ms=%.1f index_kb=%ld\n", path, info.symbols,
	       (t1 - t0) * 1000, rss1 - rss0);

	t0 = now();
	for (i = 0; i < (size_t)lookups; i++)
		found += sym_lookup(idx, pcs[i], &r) == 0;
	t1 = now();
	printf("method=ours lookups=%ld found=%zu seconds=%.3f per_second=%.0f\n", lookups, found,
	       t1 - t0, lookups / (t1 - t0));

	found = 0;
	t0 = now();
	for (i = 0; i < (size_t)rescans && i < (size_t)lookups; i++)
		found += rescan_lookup(path, pcs[i]) != NULL;
	t1 = now();
	printf("method=rescan lookups=%zu found=%zu seconds=%.3f per_second=%.0f cached=%zu\n", i,
	       found, t1 - t0, i / (t1 - t0), cached_n);
	printf("peak_rss_kb=%ld\n", max_rss_kb());
	sym_index_free(idx);
	return 0;
}
