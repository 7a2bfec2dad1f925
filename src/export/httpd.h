/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The exporter's HTTP endpoint: libmicrohttpd, driven from our own poll loop
 * (one epoll descriptor, no thread of its own), so that rendering the metrics
 * needs no lock. GET or HEAD of /metrics answers with what @render gives,
 * in OpenMetrics when the scraper accepts it; / with a page that links it;
 * anything else 404, other methods 405. Connections are limited in number,
 * time and request size.
 */
#ifndef DW_HTTPD_H
#define DW_HTTPD_H

#include <stdbool.h>
#include <stddef.h>

/* The default port: see dropwatch(1), EXPORTER. */
#define HTTPD_DEFAULT_PORT 10025
#define HTTPD_DEFAULT_PORT_STR "10025"

/* Renders the exposition: a malloc'ed buffer and its length, or NULL. */
typedef char *(*httpd_render_fn)(void *arg, bool openmetrics, size_t *len);

struct httpd;

/*
 * Listens on @spec ([ADDR:]PORT, ADDR a name, an IPv4 address or [IPv6];
 * without ADDR every address; "ADDR:" or ":" the default port). NULL with one
 * line why in @err.
 */
struct httpd *httpd_open(const char *spec, httpd_render_fn render, void *arg, char *err,
			 size_t errlen);
/* "ADDR:PORT" it listens on (the port chosen when 0 was asked for). */
const char *httpd_where(const struct httpd *h);
/* The descriptor to poll for input; then httpd_run(). */
int httpd_fd(const struct httpd *h);
/* Serves what is ready (and times out idle connections): call when the fd is readable, and
 * at least once a second. */
void httpd_run(struct httpd *h);
void httpd_close(struct httpd *h);

/* Whether @spec is a valid [ADDR:]PORT, without listening: 0, or -EINVAL and why. */
int httpd_check_spec(const char *spec, char *err, size_t errlen);

#endif
