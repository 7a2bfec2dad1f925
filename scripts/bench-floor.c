// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scripts/bench.sh --bpf-cost-only: loads the eBPF object OBJ (bench-floor.bpf.o), attaches
 * its programs, says "attached" and waits for a signal; its programs go with it.
 *   bench-floor OBJ
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	sigset_t set;
	int sig;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-floor OBJ\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "bench-floor: cannot load %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(p, obj)
		if (!bpf_program__attach(p)) {
			fprintf(stderr, "bench-floor: cannot attach %s\n", bpf_program__name(p));
			return 1;
		}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("attached\n");
	fflush(stdout);
	sigwait(&set, &sig);
	bpf_object__close(obj);
	return 0;
}
