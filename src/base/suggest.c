// SPDX-License-Identifier: GPL-2.0-or-later
/* "Did you mean": the candidate a mistyped word most likely stands for. */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

#define DIST_MAX_LEN 32

unsigned int suggest_distance(const char *a, const char *b)
{
	unsigned int d[DIST_MAX_LEN + 1][DIST_MAX_LEN + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > DIST_MAX_LEN || lb > DIST_MAX_LEN)
		return 255;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned int cost = tolower((unsigned char)a[i - 1]) !=
					    tolower((unsigned char)b[j - 1]);
			unsigned int best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *suggest(const char *word, const char *const *cands, size_t n)
{
	const char *hit = NULL;
	unsigned int best = 3;
	bool tie = false;
	size_t i, wl = strlen(word);

	if (!wl)
		return NULL;
	for (i = 0; i < n; i++)
		if (!strcasecmp(cands[i], word))
			return cands[i];	/* START for start */
	for (i = 0; i < n && wl >= 2; i++) {
		if (!strncasecmp(cands[i], word, wl)) {
			if (hit)
				return NULL;
			hit = cands[i];
		}
	}
	if (hit)
		return hit;
	for (i = 0; i < n; i++) {
		unsigned int dist = suggest_distance(word, cands[i]);

		/* A typo is at most one in three letters: foo is not top. */
		if (dist * 3 > wl)
			continue;
		if (dist < best) {
			best = dist;
			hit = cands[i];
			tie = false;
		} else if (dist == best) {
			tie = true;
		}
	}
	return tie ? NULL : hit;
}
