/*
 * The reference tracer: the least a tracer does to syscall-step a command.
 * It forks, the child asks to be traced (PTRACE_TRACEME) and execs argv[1..];
 * the parent sets PTRACE_O_TRACESYSGOOD at the exec stop, then resumes with
 * PTRACE_SYSCALL and waits with waitpid until the child exits. It decodes
 * nothing; with -d it also asks, at each syscall stop, what the ptrace core
 * asks to decode one (PTRACE_GET_SYSCALL_INFO). It prints the stops it saw
 * and its wall time in seconds, from the fork to the exit:
 * "stops S seconds T".
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	unsigned char info[128];
	long stops = 0;
	int decode = 0, status;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "-d") == 0) {
		decode = 1;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: cloop [-d] command [arg ...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
		fprintf(stderr, "cloop: no exec stop\n");
		return 1;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL) == -1) {
		perror("PTRACE_SETOPTIONS");
		return 1;
	}
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, pid, 0, 0) == -1) {
			perror("PTRACE_SYSCALL");
			return 1;
		}
		if (waitpid(pid, &status, 0) != pid) {
			perror("waitpid");
			return 1;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		stops++;
		if (decode && WSTOPSIG(status) == (SIGTRAP | 0x80) &&
		    ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, info) == -1) {
			perror("PTRACE_GET_SYSCALL_INFO");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("stops %ld seconds %.9f\n", stops,
	    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
