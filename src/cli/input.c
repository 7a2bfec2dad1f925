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
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <readline/readline.h>
#include <readline/history.h>

#include "cli.h"
#include "dw.h"
#include "run.h"
#include "util.h"

/* ---- readline: completion ---- */

static struct dw *rl_owner;

/* The candidates of the word being completed, gathered once per completion. */
static struct {
	char **w;
	size_t n, cap, next;
} cands;

static void cand_add(void *arg, const char *word)
{
	size_t i;

	for (i = 0; i < cands.n; i++)
		if (!strcmp(cands.w[i], word))
			return;
	if (util_grow(&cands.w, &cands.cap, cands.n + 1, sizeof(*cands.w), 64))
		return;
	cands.w[cands.n] = strdup(word);
	if (cands.w[cands.n])
		cands.n++;
}

static void cands_clear(void)
{
	while (cands.n)
		free(cands.w[--cands.n]);
	cands.next = 0;
}

static char *completion_gen(const char *text, int state)
{
	(void)text;
	if (!state)
		cands.next = 0;
	return cands.next < cands.n ? strdup(cands.w[cands.next++]) : NULL;
}

static char **complete(const char *text, int start, int end)
{
	char *copy = strndup(rl_line_buffer, start);
	char *words[MAX_WORDS];
	int n;

	(void)end;
	rl_attempted_completion_over = 1;	/* no file names */
	if (!copy)
		return NULL;
	n = cli_split(copy, words, MAX_WORDS);
	cands_clear();
	if (n >= 0)
		complete_line(rl_owner, words, n, text, cand_add, NULL);
	free(copy);
	if (!cands.n)
		return NULL;
	/* Lists (loc,reason) complete their last element: no blank after a comma's word. */
	rl_completion_append_character = ' ';
	return rl_completion_matches(text, completion_gen);
}

/* ---- readline: history, kept between sessions ---- */

#define HISTORY_MAX 1000

/*
 * Whether we may keep a file under @dir: the directory must be ours, or with
 * @may_be_missing, when it does not exist yet, the nearest one above it that
 * does. Root under sudo with the user's HOME does not leave root's files in
 * someone else's home.
 */
static bool dir_is_ours(const char *dir, bool may_be_missing)
{
	char *p = strdup(dir), *slash;
	struct stat st;
	bool ours = false;

	while (p && *p) {
		if (!stat(p, &st)) {
			ours = S_ISDIR(st.st_mode) && st.st_uid == geteuid();
			break;
		}
		if (!may_be_missing || errno != ENOENT || !(slash = strrchr(p, '/')))
			break;
		*slash = '\0';
	}
	free(p);
	return ours;
}

/*
 * $XDG_STATE_HOME/dropwatch/history, else ~/.dropwatch_history; none when the
 * directory is not ours. Nothing is made here: history_save() makes what is
 * missing when it writes.
 */
static char *history_path(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *path = NULL;

	if (xdg && *xdg == '/')
		return dir_is_ours(xdg, true) && asprintf(&path, "%s/dropwatch/history", xdg) >= 0 ?
		       path : NULL;
	if (!home || *home != '/' || !dir_is_ours(home, false))
		return NULL;
	return asprintf(&path, "%s/.dropwatch_history", home) < 0 ? NULL : path;
}

/*
 * Makes the directories above @path that are missing, mode 0700 (the XDG base
 * directory specification's rule for the directories it names).
 */
static void make_parents(const char *path)
{
	char *p = strdup(path), *slash;

	for (slash = p ? strchr(p + 1, '/') : NULL; slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(p, 0700) && errno != EEXIST)
			break;
		*slash = '/';
	}
	free(p);
}

/* Adds @line at the end, removing an earlier copy: each command once, the latest last. */
static void history_add_unique(const char *text)
{
	char line[1024];
	size_t n;
	int i;

	snprintf(line, sizeof(line), "%s", text + strspn(text, " \t"));
	n = strlen(line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		line[--n] = '\0';
	if (!n)
		return;

	for (i = history_length - 1; i >= 0; i--) {
		HIST_ENTRY *e = history_get(history_base + i);

		if (e && !strcmp(e->line, line)) {
			HIST_ENTRY *gone = remove_history(i);

			if (gone)
				free_history_entry(gone);
		}
	}
	add_history(line);
}

/* Links are not followed: the history file is ours, 0600. */
static void history_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (*line)
			history_add_unique(line);
	}
	free(line);
	fclose(f);
}

static void history_save(const char *path)
{
	FILE *f;
	int fd, i;

	make_parents(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (i = 0; i < history_length; i++) {
		HIST_ENTRY *e = history_get(history_base + i);

		if (e)
			fprintf(f, "%s\n", e->line);
	}
	fclose(f);
}

/* ---- readline: the prompt, idle and during a run ---- */

static void rl_line_cb(char *line);

static void prompt_install(struct dw *d)
{
	rl_owner = d;
	rl_callback_handler_install(PROMPT, rl_line_cb);
}

/*
 * A line typed: taken out of readline's hands at once (before it redraws the
 * prompt), run, and the prompt comes back after the output. During a run,
 * the commands that may run then are run here, and the prompt stays.
 */
static void rl_line_cb(char *line)
{
	struct dw *d = rl_owner;
	struct dw_input *in = &CLI(d)->in;

	if (!d->run.running) {
		rl_callback_handler_remove();
		in->rl_line = line;
		in->rl_done = true;
		return;
	}
	if (!line) {
		/* Ctrl-D during a run: stop it, then leave. */
		rl_callback_handler_remove();
		in->live = false;
		putchar('\n');
		in->stop_req = true;
		d->quit = true;
		return;
	}
	if (*line)
		history_add_unique(line);
	in->live = false;	/* readline redraws the prompt after this */
	run_line(d, line);
	free(line);
	fflush(stdout);
	fflush(stderr);
	if (in->stop_req)
		rl_callback_handler_remove();
	else
		in->live = true;
}

static void tty_live(struct dw *d)
{
	struct dw_input *in = &CLI(d)->in;

	in->stop_req = false;
	if (!d->interactive)
		return;
	fflush(stdout);
	fflush(stderr);
	prompt_install(d);
	in->live = true;
	in->hidden = false;
}

static int tty_input(struct dw *d)
{
	rl_callback_read_char();
	return CLI(d)->in.stop_req ? RUN_USER : 0;
}

/* While alerts stream, the prompt comes back at most this often. */
#define PROMPT_BACK_NS (200 * 1000 * 1000ull)

static void tty_away(struct dw *d)
{
	struct dw_input *in = &CLI(d)->in;

	if (!in->live)
		return;
	in->printed = true;
	if (in->hidden)
		return;
	rl_clear_visible_line();
	in->hidden = true;
	in->hidden_ns = util_now_ns();
}

/*
 * Called after each turn of the run loop: the prompt comes back once the
 * output pauses (a turn printed nothing), or every 200 ms while it streams,
 * so that a burst costs a few redraws, not one per batch.
 */
static void tty_back(struct dw *d)
{
	struct dw_input *in = &CLI(d)->in;
	bool printed = in->printed;

	in->printed = false;
	if (!in->live || !in->hidden)
		return;
	if (printed && util_now_ns() - in->hidden_ns < PROMPT_BACK_NS)
		return;
	fflush(stdout);
	fflush(stderr);
	rl_on_new_line();
	rl_redisplay();
	in->hidden = false;
}

static void tty_end(struct dw *d)
{
	struct dw_input *in = &CLI(d)->in;

	if (!in->live)
		return;
	tty_away(d);
	rl_callback_handler_remove();
	in->live = false;
	in->hidden = false;
}

static const struct dw_prompt tty_prompt = {
	.live = tty_live,
	.input = tty_input,
	.away = tty_away,
	.back = tty_back,
	.end = tty_end,
};

/* ---- input ---- */

/* Returns the next complete line from non-terminal stdin, NULL if none is buffered. */
static char *next_buffered_line(struct dw *d)
{
	struct dw_input *in = &CLI(d)->in;
	char *nl = in->inlen ? memchr(in->inbuf, '\n', in->inlen) : NULL;
	char *line;
	size_t l;

	if (!nl && !(in->in_eof && in->inlen))
		return NULL;
	l = nl ? (size_t)(nl - in->inbuf) : in->inlen;
	line = strndup(in->inbuf, l);
	if (!line)
		return NULL;
	l = nl ? l + 1 : l;
	memmove(in->inbuf, in->inbuf + l, in->inlen - l);
	in->inlen -= l;
	return line;
}

static int read_stdin_chunk(struct dw *d)
{
	struct dw_input *in = &CLI(d)->in;
	ssize_t n;

	if (in->incap - in->inlen < 4096) {
		if (in->incap >= (1 << 20)) {
			err_msg("input line longer than 1 MiB: giving up on standard input");
			in->in_eof = true;
			in->inlen = 0;
			return -1;
		}
		if (util_grow(&in->inbuf, &in->incap, in->incap + 1, 1, 8192))
			return -1;
	}
	n = read(STDIN_FILENO, in->inbuf + in->inlen, in->incap - in->inlen);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		in->in_eof = true;
	in->inlen += n;
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
	struct dw_input *in = &CLI(d)->in;
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = d->sigfd, .events = POLLIN },
	};
	char *hist = NULL;

	if (d->interactive) {
		d->prompt = &tty_prompt;	/* shown during runs too */
		rl_owner = d;
		rl_attempted_completion_function = complete;
		/* Words are split on blanks only: a list (loc,reason) completes its last element. */
		rl_completer_word_break_characters = (char *)" \t";
		stifle_history(HISTORY_MAX);
		hist = history_path();
		if (hist)
			history_load(hist);
		prompt_install(d);
	}
	while (!d->quit) {
		char *line = NULL;

		if (!d->interactive) {
			line = next_buffered_line(d);
			if (!line && in->in_eof)
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
					in->in_eof = true;
				continue;
			}
			in->rl_done = false;
			rl_callback_read_char();
			if (!in->rl_done)
				continue;
			line = in->rl_line;
			if (!line) {
				/* EOF (Ctrl-D): readline has ended the prompt's line. */
				break;
			}
			if (*line)
				history_add_unique(line);
		}
		run_line(d, line);
		free(line);
		fflush(stdout);
		fflush(stderr);
		if (d->interactive && !d->quit)
			prompt_install(d);
	}
	if (d->interactive) {
		rl_callback_handler_remove();
		if (hist)
			history_save(hist);
		free(hist);
		cands_clear();
		free(cands.w);
	}
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
	char *text = NULL, safe[256];
	size_t len = 0;
	int err = util_read_file(path, 1u << 20, &text, &len);

	pr_escape(safe, sizeof(safe), path);
	if (err) {
		err_msg("%s: %s", safe, err == -EFBIG ? "longer than 1 MiB" : strerror(-err));
		return -1;
	}
	run_script(d, text, safe, false);
	free(text);
	return 0;
}

