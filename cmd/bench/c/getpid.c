/*
 * The getpid workload: N getpid(2) system calls (100000 unless argv[1]
 * says), each a real system call (syscall(2), not a libc wrapper that
 * could cache the pid), then exit 0.
 */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 100000;

	for (i = 0; i < n; i++)
		syscall(SYS_getpid);
	return 0;
}
