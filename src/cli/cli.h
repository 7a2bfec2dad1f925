/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line words: splitting, strict values; "did you mean" is suggest.h. */
#ifndef DW_CLI_H
#define DW_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Splits @line in place on blanks; returns the word count, or -E2BIG past @max words. */
int cli_split(char *line, char **words, int max);
/* Decimal 0..UINT32_MAX, nothing else (no sign, no blanks, no trailing text): 0 or -EINVAL/-ERANGE. */
int cli_parse_u32(const char *s, uint32_t *out);
/* A byte count, optionally with a k, m or g suffix (powers of 1024), at most @max. */
int cli_parse_size(const char *s, uint32_t max, uint32_t *out);
/* true/false, on/off, yes/no, 1/0 (any case): 0 or -EINVAL. */
int cli_parse_bool(const char *s, bool *out);

/*
 * After getopt_long() returned '?' or ':' (an optstring starting with ':'):
 * one error line naming the unknown option or the option missing its value;
 * returns the usage exit status.
 */
int cli_bad_option(char **argv, int c);
/* "OPT: 'ARG' is not WHAT" (ARG escaped) on stderr; returns the usage exit status. */
int cli_bad_value(const char *opt, const char *arg, const char *what);

#endif
