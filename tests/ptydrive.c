// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ptydrive: runs a program in a pseudo-terminal and types at it as a person
 * would, following a script read from standard input; keeps a model of the
 * screen (the escape sequences readline sends to a vt100) to wait for text
 * and to check what is shown.
 *
 *   ptydrive [-t SECONDS] [-p PROMPT] [-o SCREEN] -- PROGRAM [ARGS...]
 *
 * Script lines (blank lines and lines starting with # are skipped):
 *   type TEXT      send TEXT one key at a time (C escapes: \r \n \t \e \\ \xHH)
 *   wait TEXT      until the screen shows TEXT
 *   prompt         until the last line is the prompt alone, the cursor after it
 *   absent TEXT    the screen does not show TEXT now
 *   intact         every line that holds the prompt starts with it
 *   sleep MS       wait (for things that must not happen, not for things that must)
 *   signal SIG     send the program signal number SIG
 *   run CMD        run the shell command CMD (it must succeed), e.g. to make drops
 *   mark           later waits, absents and intacts look only below this line
 *   exit STATUS    until the program ends; its exit status (128+N for signal N) must be STATUS
 * A wait that runs out of time, or a check that does not hold, ends the script:
 * the line, what was expected and the screen go to stderr, and the status is 1.
 * The screen is written to SCREEN at the end (failure or not).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COLS 160
#define ROWS 40
#define MAXLINES 400000	/* scrollback: a 100 000-drop burst fits */

static char *lines[MAXLINES];
static int nlines = 1, row, col, mark_row;
static int master = -1;
static pid_t child;
static int child_status = -1;
static double timeout_s = 15;
static const char *prompt = "dropwatch> ";
static const char *screen_file;

static char *line_at(int r)
{
	if (!lines[r]) {
		lines[r] = malloc(COLS + 1);
		if (!lines[r])
			abort();
		memset(lines[r], ' ', COLS);
		lines[r][COLS] = '\0';
	}
	return lines[r];
}

static void move_to_row(int r)
{
	if (r < 0)
		r = 0;
	if (r >= MAXLINES)
		r = MAXLINES - 1;
	row = r;
	if (row >= nlines)
		nlines = row + 1;
	line_at(row);
}

/* The top of the visible screen: the last ROWS lines. */
static int screen_top(void)
{
	return nlines > ROWS ? nlines - ROWS : 0;
}

static void csi(const int *par, int npar, char priv, char final)
{
	int n = npar && par[0] ? par[0] : 1;
	char *l = line_at(row);

	if (priv)
		return;		/* modes (?2004h bracketed paste, ?1h keypad): no effect on text */
	switch (final) {
	case 'K':
		if (!npar || par[0] == 0)
			memset(l + col, ' ', COLS - col);
		else if (par[0] == 1)
			memset(l, ' ', col + 1 > COLS ? COLS : col + 1);
		else
			memset(l, ' ', COLS);
		break;
	case 'J':
		if (!npar || par[0] == 0) {
			memset(l + col, ' ', COLS - col);
			for (int r = row + 1; r < nlines; r++)
				memset(line_at(r), ' ', COLS);
		}
		break;
	case 'C':
		col = col + n >= COLS ? COLS - 1 : col + n;
		break;
	case 'D':
		col = col - n < 0 ? 0 : col - n;
		break;
	case 'A':
		move_to_row(row - n < screen_top() ? screen_top() : row - n);
		break;
	case 'B':
		move_to_row(row + n);
		break;
	case 'G':
		col = n - 1 < COLS ? n - 1 : COLS - 1;
		break;
	case 'H':
	case 'f':
		move_to_row(screen_top() + (npar && par[0] ? par[0] - 1 : 0));
		col = npar > 1 && par[1] ? par[1] - 1 : 0;
		if (col >= COLS)
			col = COLS - 1;
		break;
	case 'P':
		if (n > COLS - col)
			n = COLS - col;
		memmove(l + col, l + col + n, COLS - col - n);
		memset(l + COLS - n, ' ', n);
		break;
	case '@':
		if (n > COLS - col)
			n = COLS - col;
		memmove(l + col + n, l + col, COLS - col - n);
		memset(l + col, ' ', n);
		break;
	default:
		break;		/* colours and the like */
	}
}

/* The terminal: feeds the bytes the program wrote through a small vt100 model. */
static void feed(const unsigned char *buf, size_t len)
{
	static enum { GROUND, ESC, CSI, OSC, CHARSET } st;
	static int par[8], npar;
	static char priv;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = buf[i];

		switch (st) {
		case ESC:
			if (c == '[') {
				st = CSI;
				npar = 0;
				priv = 0;
				memset(par, 0, sizeof(par));
			} else if (c == ']') {
				st = OSC;
			} else if (c == '(' || c == ')') {
				st = CHARSET;
			} else {
				st = GROUND;	/* ESC = and ESC > (keypad), ESC 7/8: no effect on text */
			}
			continue;
		case CHARSET:
			st = GROUND;
			continue;
		case OSC:
			if (c == '\a' || c == '\\')
				st = GROUND;
			continue;
		case CSI:
			if (c >= '0' && c <= '9') {
				if (!npar)
					npar = 1;
				par[npar - 1] = par[npar - 1] * 10 + (c - '0');
			} else if (c == ';') {
				if (!npar)
					npar = 1;
				if (npar < 8)
					npar++;
			} else if (c == '?' || c == '>' || c == '=') {
				priv = (char)c;
			} else if (c >= 0x40 && c <= 0x7e) {
				csi(par, npar, priv, (char)c);
				st = GROUND;
			}
			continue;
		case GROUND:
			break;
		}
		switch (c) {
		case 0x1b:
			st = ESC;
			break;
		case '\r':
			col = 0;
			break;
		case '\n':
			move_to_row(row + 1);
			break;
		case '\b':
			if (col > 0)
				col--;
			break;
		case '\t':
			col = (col / 8 + 1) * 8;
			if (col >= COLS)
				col = COLS - 1;
			break;
		case '\a':
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				break;
			if (col >= COLS) {	/* wrap */
				col = 0;
				move_to_row(row + 1);
			}
			line_at(row)[col++] = (char)c;
			break;
		}
	}
}

/* Line @r without its trailing blanks, in @out. */
static const char *trimmed(int r, char *out)
{
	int n = COLS;

	memcpy(out, line_at(r), COLS);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

static void write_screen(FILE *f)
{
	char l[COLS + 1];
	int last = nlines - 1;

	while (last > 0 && !*trimmed(last, l))
		last--;
	for (int r = 0; r <= last; r++)
		fprintf(f, "%s\n", trimmed(r, l));
}

static bool screen_has(const char *text)
{
	char l[COLS + 1];

	for (int r = mark_row; r < nlines; r++)
		if (strstr(trimmed(r, l), text))
			return true;
	return false;
}

/* The last line is the prompt alone, and the cursor is right after it. */
static bool at_prompt(void)
{
	char l[COLS + 1], p[COLS + 1];
	int last = nlines - 1;
	size_t pl = strlen(prompt);

	snprintf(p, sizeof(p), "%s", prompt);
	while (pl && p[pl - 1] == ' ')
		p[--pl] = '\0';
	return row == last && !strcmp(trimmed(last, l), p) && (size_t)col == strlen(prompt);
}

/* Every line that shows the prompt starts with it: no output wrote over it. */
static bool prompt_intact(int *bad)
{
	char l[COLS + 1], p[COLS + 1];
	size_t pl = strlen(prompt);

	snprintf(p, sizeof(p), "%s", prompt);
	while (pl && p[pl - 1] == ' ')
		p[--pl] = '\0';
	for (int r = mark_row; r < nlines; r++) {
		const char *s = strstr(trimmed(r, l), p);

		if (s && s != l) {
			*bad = r;
			return false;
		}
	}
	return true;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void reap(int flags)
{
	int st;

	if (child_status >= 0 || child <= 0)
		return;
	if (waitpid(child, &st, flags) == child)
		child_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Reads what the program wrote for up to @ms milliseconds (less once it is gone). */
static void pump(int ms)
{
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	unsigned char buf[4096];

	if (master < 0) {
		if (ms > 0)
			usleep(ms * 1000);
		reap(WNOHANG);
		return;
	}
	if (poll(&pfd, 1, ms) > 0) {
		ssize_t n = read(master, buf, sizeof(buf));

		if (n > 0) {
			feed(buf, n);
		} else if (n == 0 || errno == EIO) {
			close(master);	/* the program and everything it started closed the terminal */
			master = -1;
		}
	}
	reap(WNOHANG);
}

static void finish(int status)
{
	if (screen_file) {
		FILE *f = fopen(screen_file, "w");

		if (f) {
			write_screen(f);
			fclose(f);
		}
	}
	if (child > 0 && child_status < 0) {
		/* Politely first: the program has a kernel monitor to stop. */
		kill(child, SIGTERM);
		for (int i = 0; i < 50 && child_status < 0; i++)
			pump(100);
		if (child_status < 0) {
			kill(child, SIGKILL);
			reap(0);
		}
	}
	exit(status);
}

static void fail(int lineno, const char *what, const char *arg)
{
	fprintf(stderr, "ptydrive: script line %d: %s%s%s%s\n", lineno, what,
		arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
	fprintf(stderr, "ptydrive: the screen (cursor at line %d, column %d):\n", row + 1, col + 1);
	write_screen(stderr);
	finish(1);
}

/* C escapes in @s, in place; returns the length. */
static size_t unescape(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		if (*p != '\\' || !p[1]) {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case 'r': *o++ = '\r'; break;
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'e': *o++ = 0x1b; break;
		case 'x': {
			unsigned int v = 0;
			int k;

			for (k = 0; k < 2 && p[1] && strchr("0123456789abcdefABCDEF", p[1]); k++)
				v = v * 16 + (unsigned int)(p[1] <= '9' ? p[1] - '0' : (p[1] | 0x20) - 'a' + 10),
				p++;
			*o++ = (char)v;
			break;
		}
		default: *o++ = *p; break;
		}
	}
	*o = '\0';
	return (size_t)(o - s);
}

static void wait_until(int lineno, bool (*cond)(const char *), const char *arg, const char *what)
{
	double end = now() + timeout_s;

	while (!cond(arg)) {
		if (now() > end)
			fail(lineno, what, arg);
		pump(20);
	}
}

static bool cond_text(const char *t) { return screen_has(t); }
static bool cond_prompt(const char *t) { (void)t; return at_prompt(); }

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS };
	char buf[4096];
	int c, lineno = 0;

	while ((c = getopt(argc, argv, "+t:p:o:")) != -1) {
		switch (c) {
		case 't': timeout_s = atof(optarg); break;
		case 'p': prompt = optarg; break;
		case 'o': screen_file = optarg; break;
		default:
			fprintf(stderr, "usage: ptydrive [-t SECONDS] [-p PROMPT] [-o SCREEN] -- PROGRAM [ARGS...]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ptydrive: no program\n");
		return 2;
	}
	line_at(0);
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("ptydrive: forkpty");
		return 2;
	}
	if (child == 0) {
		setenv("TERM", "vt100", 1);
		execvp(argv[optind], argv + optind);
		perror("ptydrive: exec");
		_exit(127);
	}
	while (fgets(buf, sizeof(buf), stdin)) {
		char *arg;

		lineno++;
		buf[strcspn(buf, "\n")] = '\0';
		if (!buf[0] || buf[0] == '#')
			continue;
		arg = strchr(buf, ' ');
		if (arg)
			*arg++ = '\0';
		else
			arg = buf + strlen(buf);
		if (!strcmp(buf, "type")) {
			size_t n = unescape(arg);

			for (size_t i = 0; i < n; i++) {
				pump(0);
				if (master < 0 || write(master, arg + i, 1) != 1)
					fail(lineno, "cannot type: the program is gone", NULL);
				pump(15);
			}
		} else if (!strcmp(buf, "wait")) {
			unescape(arg);
			wait_until(lineno, cond_text, arg, "timed out waiting for");
		} else if (!strcmp(buf, "prompt")) {
			wait_until(lineno, cond_prompt, NULL, "timed out waiting for the prompt alone on the last line");
		} else if (!strcmp(buf, "absent")) {
			unescape(arg);
			pump(0);
			if (screen_has(arg))
				fail(lineno, "the screen shows", arg);
		} else if (!strcmp(buf, "intact")) {
			int bad;

			pump(0);
			if (!prompt_intact(&bad)) {
				char l[COLS + 1];

				fail(lineno, "output ran into the prompt on the line", trimmed(bad, l));
			}
		} else if (!strcmp(buf, "sleep")) {
			double end = now() + atoi(arg) / 1000.0;

			while (now() < end)
				pump(10);
		} else if (!strcmp(buf, "run")) {
			int st = system(arg);

			if (st != 0)
				fail(lineno, "this command failed:", arg);
		} else if (!strcmp(buf, "signal")) {
			kill(child, atoi(arg));
		} else if (!strcmp(buf, "mark")) {
			pump(0);
			mark_row = row;
		} else if (!strcmp(buf, "exit")) {
			double end = now() + timeout_s;
			char want[32];

			while (child_status < 0 && now() < end)
				pump(20);
			if (child_status < 0)
				fail(lineno, "timed out waiting for the program to exit", NULL);
			end = now() + 2;
			while (master >= 0 && now() < end)
				pump(20);	/* the rest of what it wrote */
			snprintf(want, sizeof(want), "%d", child_status);
			if (strcmp(want, arg)) {
				snprintf(buf, sizeof(buf), "exit status %d, expected", child_status);
				fail(lineno, buf, arg);
			}
		} else {
			fail(lineno, "unknown script command", buf);
		}
	}
	finish(0);
}
