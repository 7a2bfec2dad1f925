// SPDX-License-Identifier: GPL-2.0-or-later
/* Test helper: udpsend ADDR PORT COUNT [SIZE] sends COUNT UDP datagrams (drops, if nobody listens). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char buf[1500] = { 0 };
	long count, size = 32, i;
	int fd;

	if (argc < 4 || inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "usage: udpsend ADDR PORT COUNT [SIZE]\n");
		return 2;
	}
	sin.sin_port = htons(atoi(argv[2]));
	count = atol(argv[3]);
	if (argc > 4)
		size = atol(argv[4]);
	if (size < 0 || size > (long)sizeof(buf))
		size = sizeof(buf);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (sendto(fd, buf, size, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			perror("sendto");
			return 1;
		}
	}
	close(fd);
	return 0;
}
