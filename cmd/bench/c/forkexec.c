/*
 * The fork+exec workload: N times (200 unless argv[1] says) fork(2) a child
 * that execs argv[2] (/bin/true unless given) and wait for it; exit 0 if
 * every child exited 0.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 200;
	char *path = argc > 2 ? argv[2] : "/bin/true";
	char *args[] = { path, NULL };
	int status;
	pid_t pid;

	for (i = 0; i < n; i++) {
		if ((pid = fork()) == -1)
			return 1;
		if (pid == 0) {
			execv(path, args);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return 1;
	}
	return 0;
}
