/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* forbidden_probe ACTION [PATH]: tries one thing a workload policy must
 * refuse, so a test can run it under that policy's filter (linked
 * statically so that its start-up needs no more than the static busybox's).
 *
 *   open-write PATH   openat(PATH, O_WRONLY|O_CREAT)
 *   socket            socket(AF_INET, SOCK_STREAM)
 *   fork              fork()
 *
 * Exit 0 when the action succeeded, 1 when it failed with an errno; under a
 * kill-process filter neither happens: the process dies of SIGSYS. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
        int r = -1;
        if (argc == 3 && !strcmp(argv[1], "open-write"))
                r = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        else if (argc == 2 && !strcmp(argv[1], "socket"))
                r = socket(AF_INET, SOCK_STREAM, 0);
        else if (argc == 2 && !strcmp(argv[1], "fork")) {
                r = fork();
                if (r == 0)
                        _exit(0);
                if (r > 0)
                        (void) waitpid(r, NULL, 0);
        } else {
                fputs("usage: forbidden_probe open-write PATH | socket | fork\n", stderr);
                return 2;
        }
        return r >= 0 ? 0 : 1;
}
