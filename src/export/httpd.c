// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The metrics endpoint. We make the listening socket ourselves (so that a
 * port in use or an address that is not ours is said in one line before
 * anything starts) and hand it to libmicrohttpd, which does the HTTP.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "httpd.h"

/* Limits against slow or many clients and big requests; a scrape needs one connection. */
#define MAX_CONNECTIONS		32
#define MAX_PER_IP		8
#define TIMEOUT_S		10
#define REQUEST_MEMORY		(16 * 1024)

struct httpd {
	struct MHD_Daemon *mhd;
	httpd_render_fn render;
	void *arg;
	char where[INET6_ADDRSTRLEN + 16];
};

static const char landing[] =
	"<html><head><title>dropwatch</title></head><body>\n"
	"<h1>dropwatch</h1>\n"
	"<p>Drops the kernel reported, as <a href=\"/metrics\">metrics</a>.</p>\n"
	"</body></html>\n";

/* "[ADDR:]PORT" into host (NULL: any) and port. 0, or -EINVAL and why. */
static int split_spec(const char *spec, char *host, size_t hostlen, char *port, size_t portlen,
		      char *err, size_t errlen)
{
	const char *colon = strrchr(spec, ':'), *p = colon ? colon + 1 : spec;
	char *end;
	unsigned long n;

	host[0] = '\0';
	if (colon) {
		const char *h = spec;
		size_t len = (size_t)(colon - spec);

		if (len && h[0] == '[') {
			if (h[len - 1] != ']') {
				snprintf(err, errlen, "'%.60s': an IPv6 address goes in brackets, "
					 "as in [::1]:%d", spec, HTTPD_DEFAULT_PORT);
				return -EINVAL;
			}
			h++;
			len -= 2;
		}
		if (len >= hostlen) {
			snprintf(err, errlen, "'%.60s': the address is too long", spec);
			return -EINVAL;
		}
		memcpy(host, h, len);
		host[len] = '\0';
	}
	if (colon && !*p) {
		snprintf(port, portlen, "%d", HTTPD_DEFAULT_PORT);
		return 0;
	}
	errno = 0;
	n = strtoul(p, &end, 10);
	if (!*p || *end || errno || n > 65535 || *p == '-' || *p == '+') {
		snprintf(err, errlen, "'%.60s' is not [ADDRESS:]PORT (a port from 1 to 65535, "
			 "or 0 for any free one)", spec);
		return -EINVAL;
	}
	snprintf(port, portlen, "%lu", n);
	return 0;
}

int httpd_check_spec(const char *spec, char *err, size_t errlen)
{
	char host[256], port[8];

	return split_spec(spec, host, sizeof(host), port, sizeof(port), err, errlen);
}

/* A listening socket on @spec: the descriptor, or -1 with why in @err. */
static int listen_on(const char *spec, char *where, size_t wherelen, char *err, size_t errlen)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	}, *res = NULL, *ai;
	char host[256], port[8], addr[INET6_ADDRSTRLEN];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = -1, rc, saved = 0, one = 1;

	if (split_spec(spec, host, sizeof(host), port, sizeof(port), err, errlen))
		return -1;
	if (!host[0])
		hints.ai_family = AF_INET6;	/* every address, IPv4 ones too (dual stack) */
	rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (rc && !host[0]) {
		hints.ai_family = AF_INET;	/* no IPv6 here */
		rc = getaddrinfo(NULL, port, &hints, &res);
	}
	if (rc) {
		snprintf(err, errlen, "'%.60s' is not an address to listen on: %s", host,
			 gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6 && !host[0]) {
			int zero = 0;

			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		}
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen on %.60s: %s%s", spec, strerror(saved),
			 saved == EADDRINUSE ? " (another program has that port: choose another "
			 "with --metrics [ADDRESS:]PORT)" :
			 saved == EACCES ? " (ports below 1024 need CAP_NET_BIND_SERVICE)" :
			 saved == EADDRNOTAVAIL ? " (no interface of this host has that address)" : "");
		return -1;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (const void *)&ss;

			inet_ntop(AF_INET6, &s6->sin6_addr, addr, sizeof(addr));
			snprintf(where, wherelen, "[%s]:%u", addr, ntohs(s6->sin6_port));
		} else {
			const struct sockaddr_in *s4 = (const void *)&ss;

			inet_ntop(AF_INET, &s4->sin_addr, addr, sizeof(addr));
			snprintf(where, wherelen, "%s:%u", addr, ntohs(s4->sin_port));
		}
	}
	return fd;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     void *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *data_size, void **state)
{
	static const char not_found[] = "Not found: the metrics are at /metrics\n";
	static const char no_method[] = "Only GET and HEAD\n";
	struct httpd *h = cls;
	const char *accept;
	bool om;
	size_t len = 0;
	char *body;

	(void)version;
	(void)data;
	if (!*state) {
		/* Called first with the headers only: answer once the request is complete. */
		*state = h;
		return MHD_YES;
	}
	if (*data_size) {
		*data_size = 0;		/* a body we do not want: read and forget it */
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
			     (void *)no_method, sizeof(no_method) - 1, MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", (void *)landing,
			     sizeof(landing) - 1, MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8",
			     (void *)not_found, sizeof(not_found) - 1, MHD_RESPMEM_PERSISTENT);
	accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	om = accept && strstr(accept, "application/openmetrics-text");
	body = h->render(h->arg, om, &len);
	if (!body)
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
			     (void *)"out of memory\n", 14, MHD_RESPMEM_PERSISTENT);
	return reply(c, MHD_HTTP_OK, om ? "application/openmetrics-text; version=1.0.0; "
		     "charset=utf-8" : "text/plain; version=0.0.4; charset=utf-8", body, len,
		     MHD_RESPMEM_MUST_FREE);
}

struct httpd *httpd_open(const char *spec, httpd_render_fn render, void *arg, char *err,
			 size_t errlen)
{
	struct httpd *h = calloc(1, sizeof(*h));
	int fd;

	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->render = render;
	h->arg = arg;
	fd = listen_on(spec, h->where, sizeof(h->where), err, errlen);
	if (fd < 0) {
		free(h);
		return NULL;
	}
	h->mhd = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, on_request, h,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)MAX_PER_IP,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)TIMEOUT_S,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY,
				  MHD_OPTION_END);
	if (!h->mhd) {
		snprintf(err, errlen, "cannot start the HTTP server on %s", h->where);
		close(fd);
		free(h);
		return NULL;
	}
	return h;
}

const char *httpd_where(const struct httpd *h)
{
	return h->where;
}

int httpd_fd(const struct httpd *h)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD);

	return i ? i->epoll_fd : -1;
}

void httpd_run(struct httpd *h)
{
	MHD_UNSIGNED_LONG_LONG ms;

	/*
	 * MHD's epoll is edge-triggered: what one call left (a request read in
	 * parts, a reply to send) raises no new event. A timeout of 0 says there
	 * is more to do now; a bound keeps a flood from holding the loop.
	 */
	for (int i = 0; i < 64; i++) {
		MHD_run(h->mhd);
		if (MHD_get_timeout(h->mhd, &ms) != MHD_YES || ms > 0)
			break;
	}
}

void httpd_close(struct httpd *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->mhd);	/* closes the listening socket too */
	free(h);
}
