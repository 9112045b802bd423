/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A hostile target: it computes the launcher's sealed-binary fd number (its
 * own RLIMIT_NOFILE hard limit, plan.c) and calls
 * execveat(BINFD, "/bin/echo", ..., AT_EMPTY_PATH): for an absolute path
 * the kernel ignores the fd, so only the pointer arguments in the
 * launcher's execveat rule stop it.  Prints "started", then "PWNED" (from
 * echo) if the escape works, else "blocked ERRNO".  With --stay it only
 * prints "started" and exits 0. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
        printf("started\n");
        fflush(stdout);
        if (argc > 1 && !strcmp(argv[1], "--stay"))
                return 0;
        struct rlimit nofile;
        if (getrlimit(RLIMIT_NOFILE, &nofile) < 0)
                return 2;
        char *echo_argv[] = {"echo", "PWNED", NULL};
        syscall(SYS_execveat, (int) nofile.rlim_max, "/bin/echo", echo_argv, environ, AT_EMPTY_PATH);
        printf("blocked %d\n", errno);
        return 3;
}
