/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drop reasons: the names the running kernel knows (from its BTF, with the
 * subsystems' reasons, else the skb:kfree_skb tracepoint's format file under
 * tracefs, else a built-in table of Linux 6.1's core reasons), each with a one-line explanation of ours where we have one,
 * and the list of reasons that are usually harmless.
 */
#ifndef DW_REASONS_H
#define DW_REASONS_H

#include <stdbool.h>
#include <stddef.h>

struct reason_cat;
struct btf;

/* The format file's usual places, tried in order. */
extern const char *const reasons_format_paths[];

/*
 * Loads the catalogue from @path (a format file); or, when NULL, from the
 * running kernel's BTF, else the first readable format file in the usual
 * places; else the built-in table. Never fails but for memory (NULL).
 */
struct reason_cat *reasons_load(const char *path);
/*
 * Parses a format file's text: the { value, "NAME" } pairs of the reason's
 * __print_symbolic(). Returns the number of names, -EINVAL when there are
 * none or the text is malformed.
 */
int reasons_parse_format(struct reason_cat *cat, const char *text, size_t len);
/*
 * The names of BTF's enum skb_drop_reason (the SKB_DROP_REASON_ prefix left
 * out), then the subsystems' own: the members named *DROP* of any enum whose
 * values are subsystem << 16 | code, for the ids of enum
 * skb_drop_reason_subsys. Returns the number of names, -EINVAL without the
 * enum.
 */
int reasons_parse_btf(struct reason_cat *cat, const struct btf *btf);
/* Adds the subsystem reasons of @btf (a module's, split on @base, or NULL). */
int reasons_add_btf_subsys(struct reason_cat *cat, const struct btf *btf, const struct btf *base);
/* Adds those of the loaded modules that have a drop-reason subsystem (openvswitch, mac80211). */
int reasons_add_module_btf(struct reason_cat *cat, const struct btf *vmlinux);
/* Adds the subsystem reasons of the running kernel's BTF (vmlinux and those modules). */
int reasons_add_running_btf(struct reason_cat *cat);
struct reason_cat *reasons_new(void);
void reasons_free(struct reason_cat *cat);

/* Where the names came from: a file's path or "built-in table". */
const char *reasons_source(const struct reason_cat *cat);
void reasons_set_source(struct reason_cat *cat, const char *source);
size_t reasons_count(const struct reason_cat *cat);
const char *reasons_name(const struct reason_cat *cat, size_t i);
int reasons_value(const struct reason_cat *cat, size_t i);
/* The name for a value, or NULL. */
const char *reasons_lookup(const struct reason_cat *cat, int value);
bool reasons_known(const struct reason_cat *cat, const char *name);

/* Our one-line explanation of @name, or NULL. */
const char *reason_explain(const char *name);
/*
 * What to print for @name: our explanation, else that this dropwatch has none
 * and where the kernel documents it (a reason newer than our table). Never NULL.
 */
const char *reason_text(const char *name);
/* Whether @name is in our list of usually harmless reasons (documented in dropwatch(1)). */
bool reason_is_harmless(const char *name);
/* The harmless list, NULL-terminated. */
extern const char *const reasons_harmless[];

#endif
