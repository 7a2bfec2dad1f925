// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where commands come from: the terminal (readline, with completion), lines
 * of standard input, -e and -b. One poll loop waits for input and the
 * signalfd.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <readline/readline.h>
#include <readline/history.h>

#include "cli.h"
#include "dw.h"
#include "util.h"

/* ---- readline completion ---- */

static const char *const *completion_words;
static const struct cmd *completion_table;

static char *completion_gen(const char *text, int state)
{
	static size_t i, len;

	if (!state) {
		i = 0;
		len = strlen(text);
	}
	if (completion_table) {
		while (completion_table[i].word) {
			const char *w = completion_table[i++].word;

			if (!strncmp(w, text, len))
				return strdup(w);
		}
	} else if (completion_words) {
		while (completion_words[i]) {
			const char *w = completion_words[i++];

			if (!strncmp(w, text, len))
				return strdup(w);
		}
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	char *copy = strndup(rl_line_buffer, start);
	char *words[MAX_WORDS];
	int n;

	rl_attempted_completion_over = 1;
	completion_table = NULL;
	completion_words = NULL;
	if (!copy)
		return NULL;
	n = cli_split(copy, words, MAX_WORDS);
	if (n == 0) {
		completion_table = top_cmds;
	} else if (n >= 1 && !strcmp(words[0], "set")) {
		if (n == 1) {
			completion_table = set_cmds;
		} else if (n == 2) {
			const struct cmd *c = find_cmd(set_cmds, words[1]);

			completion_words = c ? c->values : NULL;
		}
	}
	free(copy);
	if (!completion_table && !completion_words)
		return NULL;
	return rl_completion_matches(text, completion_gen);
}

/* ---- input ---- */

static struct dw *rl_owner;

static void rl_line_cb(char *line)
{
	rl_owner->in.rl_line = line;
	rl_owner->in.rl_done = true;
}

/* Returns the next complete line from non-terminal stdin, NULL if none is buffered. */
static char *next_buffered_line(struct dw *d)
{
	char *nl = d->in.inlen ? memchr(d->in.inbuf, '\n', d->in.inlen) : NULL;
	char *line;
	size_t l;

	if (!nl && !(d->in.in_eof && d->in.inlen))
		return NULL;
	l = nl ? (size_t)(nl - d->in.inbuf) : d->in.inlen;
	line = strndup(d->in.inbuf, l);
	if (!line)
		return NULL;
	l = nl ? l + 1 : l;
	memmove(d->in.inbuf, d->in.inbuf + l, d->in.inlen - l);
	d->in.inlen -= l;
	return line;
}

static int read_stdin_chunk(struct dw *d)
{
	ssize_t n;

	if (d->in.incap - d->in.inlen < 4096) {
		size_t cap = d->in.incap ? d->in.incap * 2 : 8192;
		char *b;

		if (cap > (1 << 20)) {
			err_msg("input line longer than 1 MiB: giving up on standard input");
			d->in.in_eof = true;
			d->in.inlen = 0;
			return -1;
		}
		b = realloc(d->in.inbuf, cap);
		if (!b)
			return -1;
		d->in.inbuf = b;
		d->in.incap = cap;
	}
	n = read(STDIN_FILENO, d->in.inbuf + d->in.inlen, d->in.incap - d->in.inlen);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		d->in.in_eof = true;
	d->in.inlen += n;
	return 0;
}

/* Handles a signal that arrived while no monitor is running. */
static void idle_signal(struct dw *d)
{
	int sig = util_read_signal(d->sigfd);

	if (!sig)
		return;
	if (sig == SIGINT && d->interactive) {
		/* Like a shell: drop the line being typed, fresh prompt. */
		rl_replace_line("", 0);
		rl_crlf();
		rl_on_new_line();
		rl_redisplay();
		return;
	}
	d->fatal_signal = sig;
	d->quit = true;
}

void input_loop(struct dw *d)
{
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = d->sigfd, .events = POLLIN },
	};

	if (d->interactive) {
		rl_owner = d;
		rl_attempted_completion_function = complete;
		rl_callback_handler_install(PROMPT, rl_line_cb);
	}
	while (!d->quit) {
		char *line = NULL;

		if (!d->interactive) {
			line = next_buffered_line(d);
			if (!line && d->in.in_eof)
				break;
		}
		if (!line) {
			if (poll(pfd, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				err_msg("poll: %s", strerror(errno));
				break;
			}
			if (pfd[1].revents & POLLIN) {
				idle_signal(d);
				continue;
			}
			if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!d->interactive) {
				if (read_stdin_chunk(d) < 0)
					d->in.in_eof = true;
				continue;
			}
			d->in.rl_done = false;
			rl_callback_read_char();
			if (!d->in.rl_done)
				continue;
			line = d->in.rl_line;
			if (!line) {
				/* EOF (Ctrl-D) */
				rl_callback_handler_remove();
				putchar('\n');
				break;
			}
			rl_callback_handler_remove();
			if (*line)
				add_history(line);
		}
		run_line(d, line);
		free(line);
		if (d->interactive && !d->quit)
			rl_callback_handler_install(PROMPT, rl_line_cb);
	}
	if (d->interactive)
		rl_callback_handler_remove();
}


/* ---- commands from -e and -b ---- */

/*
 * Runs the commands of @text, one per line (and, for -e, also separated by
 * ';'); errors name @where and the line. Stops early when a signal ends us.
 */
void run_script(struct dw *d, char *text, const char *where, bool semicolons)
{
	char *line = text, place[600];
	unsigned int lineno = 0;

	while (line && !d->quit) {
		char *end = line + strcspn(line, semicolons ? ";\n" : "\n");
		char *next = *end ? end + 1 : NULL;

		*end = '\0';
		lineno++;
		snprintf(place, sizeof(place), "%s:%u", where, lineno);
		util_where = place;
		if (line[strspn(line, " \t")] != '#')
			run_line(d, line);
		util_where = NULL;
		line = next;
	}
}

int run_batch_file(struct dw *d, const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0;
	char safe[256];

	pr_escape(safe, sizeof(safe), path);
	if (!f) {
		err_msg("%s: %s", safe, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *t;

			if (cap >= (1u << 20)) {
				err_msg("%s: longer than 1 MiB", safe);
				free(text);
				fclose(f);
				return -1;
			}
			t = realloc(text, cap ? cap * 2 : 8192);
			if (!t) {
				free(text);
				fclose(f);
				return -1;
			}
			text = t;
			cap = cap ? cap * 2 : 8192;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	text[len] = '\0';
	run_script(d, text, safe, false);
	free(text);
	return 0;
}

