// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scripts/bench.sh: runs CMD and writes its CPU time, "USER_S SYS_S" to the microsecond
 * (getrusage of the child, where time(1) says hundredths), into OUT; exits as CMD did.
 *   bench-cputime OUT CMD [ARG...]
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-cputime OUT CMD [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("bench-cputime: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("bench-cputime: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench-cputime: wait4");
		return 1;
	}
	f = fopen(argv[1], "w");
	if (!f) {
		perror("bench-cputime: OUT");
		return 1;
	}
	fprintf(f, "%ld.%06ld %ld.%06ld\n", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
		(long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec);
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
