// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: udpsink ADDR PORT RCVBUF binds a UDP socket with a receive
 * buffer of RCVBUF bytes, says "ready" and never reads: datagrams past the
 * buffer are dropped (SOCKET_RCVBUFF, Udp RcvbufErrors). Ends on a signal.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, size;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "usage: udpsink ADDR PORT RCVBUF\n");
		return 2;
	}
	sin.sin_port = htons(atoi(argv[2]));
	size = atoi(argv[3]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("udpsink");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
