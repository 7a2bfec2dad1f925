// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcptrouble: makes TCP's trouble of the kinds `dropwatch -m tcp` reports.
 *
 *   tcptrouble refused ADDR PORT COUNT   COUNT connects to a closed port: each SYN is
 *                                        answered with a reset (NO_SOCKET), received
 *   tcptrouble linger ADDR               a connection to a listener of its own on ADDR,
 *                                        closed with SO_LINGER and a zero timeout: a
 *                                        reset sent; prints "PORT PORT" (client, server)
 *   tcptrouble sink ADDR PORT            listens, says "ready", accepts one connection
 *                                        and reads it until its end or until killed
 *   tcptrouble hold ADDR PORT RCVBUF     listens with SO_RCVBUF RCVBUF, says "ready",
 *                                        accepts one connection and reads nothing until
 *                                        killed (its window closes)
 *   tcptrouble send ADDR PORT SECONDS    connects, says "connected PORT" (its own port),
 *                                        then writes for SECONDS without waiting on a
 *                                        full send buffer, says "sent BYTES", and exits
 * Exit status 0, 1 on a failure (said on stderr), 2 on a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: tcptrouble refused ADDR PORT COUNT | linger ADDR |\n"
		"       sink ADDR PORT | hold ADDR PORT RCVBUF | send ADDR PORT SECONDS\n");
	return 2;
}

static int fail(const char *what)
{
	fprintf(stderr, "tcptrouble: %s: %s\n", what, strerror(errno));
	return 1;
}

static int addr_of(const char *a, unsigned int port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	if (inet_pton(AF_INET, a, &sa->sin_addr) != 1) {
		fprintf(stderr, "tcptrouble: '%s' is not an IPv4 address\n", a);
		return -1;
	}
	return 0;
}

static unsigned int port_of(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	return getsockname(fd, (struct sockaddr *)&sa, &len) ? 0 : ntohs(sa.sin_port);
}

static int refused(char **argv)
{
	struct sockaddr_in sa;
	long n = atol(argv[2]);

	if (addr_of(argv[0], atoi(argv[1]), &sa))
		return 2;
	for (long i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			return fail("socket");
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)) || errno != ECONNREFUSED) {
			fprintf(stderr, "tcptrouble: connect was not refused (%s)\n", strerror(errno));
			close(fd);
			return 1;
		}
		close(fd);
	}
	return 0;
}

static int listener(const char *addr, unsigned int port, int rcvbuf)
{
	struct sockaddr_in sa;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || addr_of(addr, port, &sa))
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4))
		return -1;
	return fd;
}

static int linger0(char **argv)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr_in sa;
	int l = listener(argv[0], 0, 0), c, a;

	if (l < 0)
		return fail("listen");
	if (addr_of(argv[0], port_of(l), &sa))
		return 2;
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)))
		return fail("connect");
	a = accept(l, NULL, NULL);
	if (a < 0)
		return fail("accept");
	printf("%u %u\n", port_of(c), port_of(l));
	fflush(stdout);
	if (setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		return fail("SO_LINGER");
	close(c);
	/* The reset arrives before we look: the server's socket has it. */
	usleep(100000);
	close(a);
	close(l);
	return 0;
}

static int sink(char **argv, bool hold)
{
	static char buf[65536];
	int l = listener(argv[0], atoi(argv[1]), hold ? atoi(argv[2]) : 0), a;

	if (l < 0)
		return fail("listen");
	printf("ready\n");
	fflush(stdout);
	a = accept(l, NULL, NULL);
	if (a < 0)
		return fail("accept");
	while (!hold && read(a, buf, sizeof(buf)) > 0)
		;
	for (;;)
		pause();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sender(char **argv)
{
	static char buf[65536];
	struct sockaddr_in sa;
	unsigned long long sent = 0;
	double end;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || addr_of(argv[0], atoi(argv[1]), &sa))
		return fd < 0 ? fail("socket") : 2;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fail("connect");
	printf("connected %u\n", port_of(fd));
	fflush(stdout);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	memset(buf, 'x', sizeof(buf));
	end = now() + atof(argv[2]);
	while (now() < end) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		ssize_t n;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = write(fd, buf, sizeof(buf));
		if (n > 0)
			sent += (unsigned long long)n;
		else if (n < 0 && errno != EAGAIN)
			break;	/* the connection gave up: its errors are what is tested */
	}
	printf("sent %llu\n", sent);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "refused") && argc == 5)
		return refused(argv + 2);
	if (!strcmp(argv[1], "linger") && argc == 3)
		return linger0(argv + 2);
	if (!strcmp(argv[1], "sink") && argc == 4)
		return sink(argv + 2, false);
	if (!strcmp(argv[1], "hold") && argc == 5)
		return sink(argv + 2, true);
	if (!strcmp(argv[1], "send") && argc == 5)
		return sender(argv + 2);
	return usage();
}
