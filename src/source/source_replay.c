// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A capture replayed as a source (replay.c reads it): the same operations as
 * a live source, with nothing to start or stop; one read hands out every
 * alert of the file.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "source.h"

struct replay_source {
	struct source s;
	char *path;
	bool done;
	struct replay_result res;
};

static struct replay_source *rs_of(struct source *s)
{
	return (struct replay_source *)s;
}

static int rs_start(struct source *s, const struct source_run *r)
{
	(void)r;
	rs_of(s)->done = false;
	return 0;
}

static int rs_stop(struct source *s)
{
	(void)s;
	return 0;
}

static void rs_release(struct source *s)
{
	(void)s;
}

static int rs_fd(const struct source *s)
{
	(void)s;
	return -1;	/* a file: always ready */
}

static void rs_coalesce(struct source *s)
{
	(void)s;
}

/* The whole capture: what @fn returned, -EINVAL or -EBADMSG (replay_file), else RUN_END. */
static int rs_read(struct source *s, drop_event_fn fn, void *arg, bool flush)
{
	struct replay_source *r = rs_of(s);
	int ret;

	(void)flush;
	if (r->done)
		return SOURCE_END;
	r->done = true;
	ret = replay_file(r->path, fn, arg, &r->res);
	return ret ? ret : SOURCE_END;
}

static void rs_stats(struct source *s, struct source_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->malformed = rs_of(s)->res.malformed;
}

static const char *rs_error(const struct source *s)
{
	return ((const struct replay_source *)s)->res.err;
}

static int rs_describe(struct source *s, struct printer *p)
{
	pr_safe(p, "source", NULL, "replay");
	pr_str(p, "file", "Source: the capture %s\n", rs_of(s)->path);
	return 0;
}

static void rs_close(struct source *s)
{
	struct replay_source *r = rs_of(s);

	free(r->path);
	free(r);
}

static const struct source_ops replay_ops = {
	.name = "replay",
	.title = "a replayed capture",
	.caps = SRC_CAPS_REPLAY,
	.lost_what = "",
	.lost_hint = "",
	.lost_short = "receive overruns",
	.poll_ms = 0,
	.start = rs_start,
	.stop = rs_stop,
	.release = rs_release,
	.fd = rs_fd,
	.coalesce = rs_coalesce,
	.read = rs_read,
	.stats = rs_stats,
	.describe = rs_describe,
	.error = rs_error,
	.close = rs_close,
};

int source_replay_open(struct source **out, const char *path)
{
	struct replay_source *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r || !(r->path = strdup(path))) {
		free(r);
		return -ENOMEM;
	}
	r->s.ops = &replay_ops;
	r->res.family = -1;
	*out = &r->s;
	return 0;
}

const struct replay_result *source_replay_result(struct source *s)
{
	return s && s->ops == &replay_ops ? &rs_of(s)->res : NULL;
}
