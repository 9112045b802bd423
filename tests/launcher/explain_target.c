/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A target for the supervised-run tests (test_explain): makes one call the
 * test policy does not allow, socket(AF_INET, SOCK_DGRAM, 0), from where the
 * test asks, and reports on stdout.
 *
 *   explain_target socket          call it here; print "socket ok|errno N"
 *   explain_target thread          call it from a second thread
 *   explain_target fork            call it in a forked child; print how the child ended
 *   explain_target pid             print "pid N" and "listen_pid VALUE"
 *   explain_target wait FILE       write the pid to FILE, then wait for a signal
 *   explain_target exit N          exit with status N
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void *try_socket(void *unused) {
        (void) unused;
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (fd >= 0)
                puts("socket ok");
        else
                printf("socket errno %d\n", errno);
        fflush(stdout);
        return NULL;
}

static int in_thread(void) {
        pthread_t t;
        if (pthread_create(&t, NULL, try_socket, NULL) != 0)
                return 2;
        pthread_join(t, NULL);
        puts("thread joined");
        return 0;
}

static int in_child(void) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0)
                return 2;
        if (pid == 0) {
                try_socket(NULL);
                _exit(0);
        }
        int ws;
        if (waitpid(pid, &ws, 0) < 0)
                return 2;
        if (WIFSIGNALED(ws))
                printf("child %d signal %d\n", (int) pid, WTERMSIG(ws));
        else
                printf("child %d exit %d\n", (int) pid, WEXITSTATUS(ws));
        return 0;
}

static int wait_for_signal(const char *file) {
        FILE *f = fopen(file, "w");
        if (!f)
                return 2;
        fprintf(f, "%d\n", (int) getpid());
        fclose(f);
        for (;;)
                pause();
}

int main(int argc, char **argv) {
        const char *mode = argc > 1 ? argv[1] : "";
        if (!strcmp(mode, "socket")) {
                try_socket(NULL);
                return 0;
        }
        if (!strcmp(mode, "thread"))
                return in_thread();
        if (!strcmp(mode, "fork"))
                return in_child();
        if (!strcmp(mode, "pid")) {
                const char *lp = getenv("LISTEN_PID");
                printf("pid %d\nlisten_pid %s\n", (int) getpid(), lp ? lp : "unset");
                return 0;
        }
        if (!strcmp(mode, "wait") && argc > 2)
                return wait_for_signal(argv[2]);
        if (!strcmp(mode, "exit") && argc > 2)
                return atoi(argv[2]);
        fprintf(stderr, "explain_target: unknown mode '%s'\n", mode);
        return 2;
}
