// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dropzoo: makes the kernel drop packets of the kinds the tests check, each for
 * a reason of its own.
 *
 *   dropzoo udp6 ADDR6 PORT COUNT         UDP over IPv6 to a closed port (NO_SOCKET)
 *   dropzoo syn ADDR PORT COUNT           TCP connects to a closed port: each SYN is
 *                                         dropped (NO_SOCKET) and answered with a reset
 *   dropzoo tcpdata ADDR PORT SECONDS     a TCP connection to itself that writes for
 *                                         SECONDS (a tc rule drops its data: ESTABLISHED)
 *   dropzoo tun NAME                      makes a persistent TUN device NAME (IPv4, no
 *                                         packet information) and exits
 *   dropzoo inject NAME KIND SRC DST COUNT
 *                                         writes COUNT IPv4 packets from SRC to DST into
 *                                         TUN device NAME, received as from the wire:
 *                                         KIND udpcsum (a UDP checksum that is wrong:
 *                                         UDP_CSUM), ipcsum (an IP header checksum that is
 *                                         wrong: IP_CSUM), short (a UDP length past the
 *                                         packet's end: PKT_TOO_SMALL), rst (a TCP reset
 *                                         to DST port 7400, of no connection: a listener
 *                                         there drops it, TCP_RESET), oow (a SYN to DST
 *                                         port 7401, where a listener answers, then an ACK
 *                                         a gigabyte past the window: conntrack finds it
 *                                         out of window, ct state invalid; COUNT such
 *                                         ACKs)
 *   dropzoo listen ADDR PORT              listens on ADDR:PORT (TCP), says "ready", and
 *                                         accepts nothing until killed
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_tun.h>

static int usage(void)
{
	fprintf(stderr, "usage: dropzoo udp6 ADDR6 PORT COUNT | syn ADDR PORT COUNT |\n"
		"       tcpdata ADDR PORT SECONDS | tun NAME | inject NAME KIND SRC DST COUNT |\n"
		"       listen ADDR PORT\n");
	return 2;
}

static int fail(const char *what)
{
	fprintf(stderr, "dropzoo: %s: %s\n", what, strerror(errno));
	return 1;
}

static int udp6(char **argv)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(atoi(argv[1])) };
	long n = atol(argv[2]);
	char buf[32] = { 0 };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	if (fd < 0 || inet_pton(AF_INET6, argv[0], &a.sin6_addr) != 1)
		return fail("udp6");
	for (long i = 0; i < n; i++)
		if (sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&a, sizeof(a)) < 0)
			return fail("sendto");
	close(fd);
	return 0;
}

static int syn(char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])) };
	long n = atol(argv[2]);

	if (inet_pton(AF_INET, argv[0], &a.sin_addr) != 1)
		return usage();
	for (long i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			return fail("socket");
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 || errno != ECONNREFUSED) {
			fprintf(stderr, "dropzoo: connect to a closed port did not get refused\n");
			return 1;
		}
		close(fd);
	}
	return 0;
}

static int tcpdata(char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])) };
	struct timespec now, end;
	int one = 1, l, c, s;
	char buf[100] = "data";

	if (inet_pton(AF_INET, argv[0], &a.sin_addr) != 1)
		return usage();
	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || c < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1))
		return fail("listen");
	if (connect(c, (struct sockaddr *)&a, sizeof(a)))
		return fail("connect");
	s = accept(l, NULL, NULL);
	if (s < 0)
		return fail("accept");
	fcntl(c, F_SETFL, O_NONBLOCK);
	printf("connected\n");
	fflush(stdout);
	/*
	 * SECONDS from now, connected, and one write at least: counted from before the
	 * connection in whole seconds of time(), a loaded machine could spend them all
	 * connecting (or start just before a second's end) and write nothing.
	 */
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += atol(argv[2]);
	do {
		if (write(c, buf, sizeof(buf)) < 0 && errno != EAGAIN)
			return fail("write");
		usleep(100000);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
	close(s);
	close(c);
	close(l);
	return 0;
}

/* The TUN device NAME, made (or attached to) with @flags. */
static int tun_open(const char *name, int flags)
{
	struct ifreq ifr = { .ifr_flags = (short)flags };
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int tun(char **argv)
{
	int fd = tun_open(argv[0], IFF_TUN | IFF_NO_PI);

	if (fd < 0 || ioctl(fd, TUNSETPERSIST, 1))
		return fail(argv[0]);
	close(fd);
	return 0;
}

/* The Internet checksum of @len bytes at @p, with @sum to start from. */
static uint16_t csum(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* The sum of an IPv4 pseudo-header (addresses of @ip, @proto, @len), for csum(). */
static uint32_t pseudo(const uint8_t *ip, uint8_t proto, uint16_t len)
{
	return (uint32_t)(ip[12] << 8 | ip[13]) + (uint32_t)(ip[14] << 8 | ip[15]) +
	       (uint32_t)(ip[16] << 8 | ip[17]) + (uint32_t)(ip[18] << 8 | ip[19]) + proto + len;
}

static int inject(char **argv)
{
	const char *kind = argv[1];
	uint8_t pkt[20 + 8 + 16] = { 0 }, *udp = pkt + 20;
	struct in_addr src, dst;
	long n = atol(argv[4]);
	size_t len = sizeof(pkt);
	int fd;

	if (inet_pton(AF_INET, argv[2], &src) != 1 || inet_pton(AF_INET, argv[3], &dst) != 1 ||
	    (strcmp(kind, "udpcsum") && strcmp(kind, "ipcsum") && strcmp(kind, "short") &&
	     strcmp(kind, "rst") && strcmp(kind, "oow")))
		return usage();
	pkt[0] = 0x45;
	pkt[8] = 64;
	memcpy(pkt + 12, &src, 4);
	memcpy(pkt + 16, &dst, 4);
	if (!strcmp(kind, "oow")) {
		/* A connection begun (SYN, seq 1000), then ACKs far past the window. */
		uint8_t *tcp = pkt + 20;
		struct timespec wait = { 0, 300 * 1000 * 1000 };

		len = 20 + 20;
		put16(pkt + 2, (uint16_t)len);
		pkt[9] = IPPROTO_TCP;
		put16(tcp, 40001);
		put16(tcp + 2, 7401);
		tcp[4] = 0, tcp[5] = 0, tcp[6] = 0x03, tcp[7] = 0xe8;	/* 1000 */
		tcp[12] = 5 << 4;
		tcp[13] = 0x02;			/* SYN */
		put16(tcp + 14, 64240);
		put16(tcp + 16, csum(tcp, 20, pseudo(pkt, IPPROTO_TCP, 20)));
		put16(pkt + 10, csum(pkt, 20, 0));
		fd = tun_open(argv[0], IFF_TUN | IFF_NO_PI);
		if (fd < 0)
			return fail(argv[0]);
		if (write(fd, pkt, len) != (ssize_t)len)
			return fail("write");
		nanosleep(&wait, NULL);		/* the listener's SYN-ACK */
		tcp[4] = 0x40;			/* seq 1000 + 2^30 */
		tcp[13] = 0x10;			/* ACK */
		put16(tcp + 16, 0);
		put16(tcp + 16, csum(tcp, 20, pseudo(pkt, IPPROTO_TCP, 20)));
		for (long i = 0; i < n; i++)
			if (write(fd, pkt, len) != (ssize_t)len)
				return fail("write");
		close(fd);
		return 0;
	}
	if (!strcmp(kind, "rst")) {
		/* A bare TCP header: RST, of no connection, to port 7400. */
		uint8_t *tcp = pkt + 20;

		len = 20 + 20;
		put16(pkt + 2, (uint16_t)len);
		pkt[9] = IPPROTO_TCP;
		put16(tcp, 40000);
		put16(tcp + 2, 7400);
		put16(tcp + 4, 0x1234);
		tcp[12] = 5 << 4;
		tcp[13] = 0x04;
		put16(tcp + 16, csum(tcp, 20, pseudo(pkt, IPPROTO_TCP, 20)));
		put16(pkt + 10, csum(pkt, 20, 0));
		goto write;
	}
	put16(pkt + 2, sizeof(pkt));
	pkt[9] = IPPROTO_UDP;
	put16(udp, 40000);
	put16(udp + 2, 9);
	put16(udp + 4, 8 + 16);
	/* A UDP length past the end: the packet is shorter than its header says. */
	if (!strcmp(kind, "short"))
		put16(udp + 4, 8 + 16 + 100);
	/* The UDP checksum over the pseudo-header, then the IP header's own. */
	put16(udp + 6, csum(udp, 8 + 16, pseudo(pkt, IPPROTO_UDP, 8 + 16)));
	if (!strcmp(kind, "udpcsum"))
		put16(udp + 6, (uint16_t)(udp[6] << 8 | udp[7]) ^ 0x5555);
	put16(pkt + 10, csum(pkt, 20, 0));
	if (!strcmp(kind, "ipcsum"))
		pkt[10] ^= 0x55;
write:
	fd = tun_open(argv[0], IFF_TUN | IFF_NO_PI);
	if (fd < 0)
		return fail(argv[0]);
	for (long i = 0; i < n; i++)
		if (write(fd, pkt, len) != (ssize_t)len)
			return fail("write");
	close(fd);
	return 0;
}

static int listen_on(char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (inet_pton(AF_INET, argv[0], &a.sin_addr) != 1)
		return usage();
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1))
		return fail("listen");
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "udp6"))
		return udp6(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "syn"))
		return syn(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "tcpdata"))
		return tcpdata(argv + 2);
	if (argc == 3 && !strcmp(argv[1], "tun"))
		return tun(argv + 2);
	if (argc == 7 && !strcmp(argv[1], "inject"))
		return inject(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "listen"))
		return listen_on(argv + 2);
	return usage();
}
