// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "sbuf.h"
#include "hmap.h"
#include "symres.h"
#include "util.h"

#define KALLSYMS "/proc/kallsyms"
/* Names kept at most; past it the cache starts afresh (kernel text has a few thousand call sites). */
#define SYMRES_MAX 65536

struct entry {
	struct entry *next;	/* every entry, for freeing */
	uint64_t pc;
	bool from_text;
	char *raw;		/* from_text: the kernel's text */
	struct location loc;
	char data[];		/* the strings of loc and raw */
};

struct symres {
	struct sym_index *idx;
	bool lazy;		/* read /proc/kallsyms on the first need */
	struct hmap slots;	/* struct entry *, by pc and whether from text */
	struct entry *all;
};

struct symres *symres_new(void)
{
	struct symres *s = calloc(1, sizeof(struct symres));

	if (s)
		hmap_init(&s->slots, sizeof(struct entry *), 0);	/* allocates at the first */
	return s;
}

static void forget(struct symres *s)
{
	struct entry *e, *n;

	for (e = s->all; e; e = n) {
		n = e->next;
		free(e);
	}
	s->all = NULL;
	hmap_fini(&s->slots);
}

void symres_free(struct symres *s)
{
	if (!s)
		return;
	forget(s);
	sym_index_free(s->idx);
	free(s);
}

void symres_set_index(struct symres *s, struct sym_index *idx)
{
	forget(s);
	if (s->idx != idx)
		sym_index_free(s->idx);
	s->idx = idx;
	s->lazy = false;
}

bool symres_has_index(const struct symres *s)
{
	return s->idx != NULL;
}

void symres_checkpoint(struct symres *s)
{
	if (hmap_count(&s->slots) >= SYMRES_MAX)
		forget(s);
}

int symres_load(struct symres *s, const char *path, bool explicit)
{
	struct sym_load_info info;
	struct sym_index *idx = NULL;
	char safe[256];
	int err = sym_index_load(path, &idx, &info);

	s->lazy = false;
	pr_escape(safe, sizeof(safe), path);
	if (err == -EPERM && info.restricted) {
		util_err("%s: every address reads as zero (kernel.kptr_restrict, or not root): "
			 "showing raw addresses", safe);
		return 0;
	}
	if (err == -ENODATA) {
		util_err("cannot load kernel symbols from %s: no text symbols in it (%zu malformed "
			 "lines)", safe, info.bad_lines);
		return explicit ? -1 : 0;
	}
	if (err) {
		util_err("cannot load kernel symbols from %s: %s", safe, strerror(-err));
		return explicit ? -1 : 0;
	}
	if (info.bad_lines)
		util_err("%s: skipped %zu malformed lines (the first at line %u)", safe,
			 info.bad_lines, info.first_bad_line);
	/* Names handed out stay valid: a lazy load happens while a record is being built. */
	sym_index_free(s->idx);
	s->idx = idx;
	return 0;
}

void symres_load_lazily(struct symres *s)
{
	s->lazy = !s->idx;
}

void symres_load_pending(struct symres *s)
{
	if (s->lazy)
		symres_load(s, KALLSYMS, false);
}

/* What an entry is found by: its address, and whether the kernel's text named it. */
struct pc_key {
	uint64_t pc;
	bool from_text;
};

static bool same_pc(const void *entry, const void *key)
{
	const struct entry *e = *(struct entry *const *)entry;
	const struct pc_key *k = key;

	return e && e->pc == k->pc && e->from_text == k->from_text;
}

/* The slot of (@pc, @from_text): its entry, or a new empty one where it goes. NULL: no memory. */
static struct entry **find(struct symres *s, uint64_t pc, bool from_text)
{
	struct pc_key k = { .pc = pc, .from_text = from_text };
	bool created;

	return hmap_get(&s->slots, hmap_hash64(pc ^ from_text), same_pc, &k, &created);
}

/* An entry holding copies of the strings; NULL without memory. */
static struct entry *entry_new(uint64_t pc, const char *raw, const char *name,
			       const char *module, uint64_t offset, bool known, const char *shown)
{
	char text[400];
	struct sbuf b;
	size_t lr = raw ? strlen(raw) + 1 : 0, ln = strlen(name) + 1, lm = strlen(module) + 1;
	size_t lt, ls;
	struct entry *e;
	char *p;

	sb_init(&b, text, sizeof(text));
	if (known) {
		sb_puts(&b, name);
		sb_puts(&b, "+0x");
		sb_hex(&b, offset, 1);
	} else {
		sb_puts(&b, "0x");
		sb_hex(&b, pc, 1);
	}
	lt = b.n + 1;
	ls = shown ? strlen(shown) + 1 : 0;
	e = malloc(sizeof(*e) + lr + ln + lm + lt + ls);
	if (!e)
		return NULL;
	p = e->data;
	e->pc = pc;
	e->from_text = raw != NULL;
	e->raw = raw ? memcpy(p, raw, lr) : NULL;
	p += lr;
	e->loc.known = known;
	e->loc.offset = offset;
	e->loc.name = memcpy(p, name, ln);
	p += ln;
	e->loc.module = memcpy(p, module, lm);
	p += lm;
	e->loc.text = memcpy(p, text, lt);
	e->loc.text_len = lt - 1;
	p += lt;
	e->loc.shown = shown ? memcpy(p, shown, ls) : e->loc.text;
	e->loc.shown_len = shown ? ls - 1 : e->loc.text_len;
	return e;
}

static struct entry *from_index(struct symres *s, uint64_t pc)
{
	struct sym_result r;
	char name[256], module[64];

	if (!s->idx || !pc || sym_lookup(s->idx, pc, &r))
		return entry_new(pc, NULL, "", "", 0, false, NULL);
	pr_escape(name, sizeof(name), r.name);
	pr_escape(module, sizeof(module), r.module ? r.module : "");
	return entry_new(pc, NULL, name, module, r.offset, true, NULL);
}

/* The kernel's "%pS": name+0xOFF/0xSIZE, with " [module]" for module code. */
static struct entry *from_text(uint64_t pc, const char *text)
{
	size_t len = strlen(text);
	/* " [module]" ends the text; a '[' elsewhere (a hostile name) is not one. */
	const char *br = len && text[len - 1] == ']' ? strrchr(text, '[') : NULL;
	const char *plus = strrchr(text, '+');
	size_t n;

	if (br && (br == text || br[-1] != ' '))
		br = NULL;
	if (plus && br && plus > br)
		plus = NULL;
	n = plus ? (size_t)(plus - text) : br ? (size_t)(br - 1 - text) : len;
	char raw[256], name[256], module[64], shown[400];
	uint64_t offset = 0;

	if (n >= sizeof(raw))
		n = sizeof(raw) - 1;
	memcpy(raw, text, n);
	raw[n] = '\0';
	pr_escape(name, sizeof(name), raw);
	if (plus)
		offset = strtoull(plus + 1, NULL, 16);
	module[0] = '\0';
	if (br) {
		snprintf(raw, sizeof(raw), "%s", br + 1);
		raw[strcspn(raw, "]")] = '\0';
		pr_escape(module, sizeof(module), raw);
	}
	pr_escape(shown, sizeof(shown), text);
	return entry_new(pc, text, name, module, offset, name[0] != '\0', shown);
}

/* The entry in @slot, replaced by @e (NULL: no memory); @e kept for freeing. */
static const struct location *keep(struct symres *s, struct entry **slot, struct entry *e)
{
	static const struct location none = { .name = "", .module = "", .text = "?", .shown = "?",
					      .text_len = 1, .shown_len = 1 };

	if (!e) {
		if (slot && !*slot)
			hmap_del(&s->slots, slot);	/* no empty slot is left behind */
		return &none;
	}
	e->next = s->all;
	s->all = e;
	if (slot)
		*slot = e;
	return &e->loc;
}

const struct location *symres_pc(struct symres *s, uint64_t pc)
{
	struct entry **slot;

	if (s->lazy) {
		s->lazy = false;	/* once, whatever it finds */
		symres_load(s, KALLSYMS, false);
	}
	slot = find(s, pc, false);
	if (slot && *slot)
		return &(*slot)->loc;
	return keep(s, slot, from_index(s, pc));
}

const struct location *symres_text(struct symres *s, uint64_t pc, const char *ktext)
{
	struct entry **slot = find(s, pc, true);

	if (slot && *slot && !strcmp((*slot)->raw, ktext))
		return &(*slot)->loc;
	/* A new text for the address (another module loaded there): the entry is replaced. */
	return keep(s, slot, from_text(pc, ktext));
}
