/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run_with_filter: run a program under a raw seccomp BPF file written by
 * `sealrun compile`, with its inputs as sealed memfds, without the launcher.
 * It proves a policy in policies/ is complete for its job on its own.
 *
 *   run_with_filter [--memfd N=PATH]... [--sealed-exec N] [--env K=V]... \
 *                   FILTER.bpf|- PROGRAM [ARG...]
 *
 * --memfd N=PATH   copy PATH into a memfd sealed WRITE|SHRINK|GROW|SEAL and
 *                  place it at fd N (offset 0), as the launcher does.
 * --sealed-exec N  copy PROGRAM into a sealed memfd at fd N and exec it with
 *                  execveat(N, "", ..., AT_EMPTY_PATH) instead of by path;
 *                  the filter must then admit that execveat.
 * --env K=V        the target's environment (empty otherwise, as the
 *                  launcher's default).
 * FILTER "-"       no filter: the same run without one, to compare (sealrun
 *                  learn, not this, is how the policies are derived).
 *
 * Exit status 125 when the runner itself fails, as sealrun's. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "memfd_compat.h"

#define RUNNER_FAILED 125
#define MAX_MEMFDS 16
#define MAX_ENV 32
/* Work fds start here so they never collide with a target fd number. */
#define WORK_FD_BASE 200

struct placement {
        int target_fd;
        const char *path;
};

static int copy_into_sealed_memfd(const char *path, bool executable, int *ret_fd) {
        _cleanup_close_ int src = -1, memfd = -1;
        char buf[65536];
        ssize_t n;

        src = open(path, O_RDONLY | O_CLOEXEC);
        if (src < 0)
                return negative_errno();
        /* MFD_EXEC (Linux 6.3) keeps the program executable when
         * vm.memfd_noexec defaults memfds to noexec; older kernels say EINVAL. */
        unsigned flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
        memfd = memfd_create(executable ? "sealed-exec" : "sealed-input",
                             flags | (executable ? MFD_EXEC : 0));
        if (memfd < 0 && errno == EINVAL && executable)
                memfd = memfd_create("sealed-exec", flags);
        if (memfd < 0)
                return negative_errno();
        while ((n = read(src, buf, sizeof(buf))) > 0)
                if (write(memfd, buf, (size_t) n) != n)
                        return negative_errno();
        if (n < 0)
                return negative_errno();
        if (executable && fchmod(memfd, 0555) < 0)
                return negative_errno();
        if (fcntl(memfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
                return negative_errno();
        if (lseek(memfd, 0, SEEK_SET) < 0)
                return negative_errno();
        int moved = fcntl(memfd, F_DUPFD_CLOEXEC, WORK_FD_BASE);
        if (moved < 0)
                return negative_errno();
        *ret_fd = moved;
        return 0;
}

static int read_filter(const char *path, struct sock_fprog *ret_prog) {
        _cleanup_close_ int fd = -1;
        struct stat st;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
                return negative_errno();
        if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
            st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS)
                return -EINVAL;
        struct sock_filter *insns = malloc((size_t) st.st_size);
        if (!insns)
                return -ENOMEM;
        if (read(fd, insns, (size_t) st.st_size) != st.st_size) {
                free(insns);
                return -EIO;
        }
        *ret_prog = (struct sock_fprog){
                .len = (unsigned short) (st.st_size / sizeof(struct sock_filter)),
                .filter = insns,
        };
        return 0;
}

static int parse_placement(const char *arg, struct placement *ret) {
        char *end;
        errno = 0;
        long n = strtol(arg, &end, 10);
        if (errno != 0 || end == arg || *end != '=' || n < 0 || n >= WORK_FD_BASE || !end[1])
                return -EINVAL;
        *ret = (struct placement){.target_fd = (int) n, .path = end + 1};
        return 0;
}

static int fail(const char *what, const char *thing, int r) {
        fprintf(stderr, "run_with_filter: %s '%s': %s\n", what, thing, strerror(-r));
        return RUNNER_FAILED;
}

int main(int argc, char **argv) {
        struct placement inputs[MAX_MEMFDS];
        size_t n_inputs = 0, n_env = 0;
        char *envp[MAX_ENV + 1] = {NULL};
        int sealed_exec_fd = -1, i, r;

        for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
                if (i + 1 >= argc)
                        return fail("option needs a value", argv[i], -EINVAL);
                if (!strcmp(argv[i], "--memfd") && n_inputs < MAX_MEMFDS) {
                        r = parse_placement(argv[++i], &inputs[n_inputs++]);
                        if (r < 0)
                                return fail("bad --memfd", argv[i], r);
                } else if (!strcmp(argv[i], "--sealed-exec")) {
                        sealed_exec_fd = atoi(argv[++i]);
                        if (sealed_exec_fd < 3 || sealed_exec_fd >= WORK_FD_BASE)
                                return fail("bad --sealed-exec", argv[i], -EINVAL);
                } else if (!strcmp(argv[i], "--env") && n_env < MAX_ENV) {
                        envp[n_env++] = argv[++i];
                } else
                        return fail("unknown option", argv[i], -EINVAL);
        }
        if (argc - i < 2) {
                fputs("usage: run_with_filter [--memfd N=PATH]... [--sealed-exec N] [--env K=V]... "
                      "FILTER.bpf|- PROGRAM [ARG...]\n",
                      stderr);
                return RUNNER_FAILED;
        }
        const char *filter_path = argv[i], *program = argv[i + 1];
        char **target_argv = argv + i + 1;

        /* Everything is loaded before anything is placed, so a placement
         * never clobbers a file still to be read. */
        int work_fds[MAX_MEMFDS];
        for (size_t k = 0; k < n_inputs; k++) {
                r = copy_into_sealed_memfd(inputs[k].path, false, &work_fds[k]);
                if (r < 0)
                        return fail("cannot load input", inputs[k].path, r);
        }
        int exec_work_fd = -1;
        if (sealed_exec_fd >= 0) {
                r = copy_into_sealed_memfd(program, true, &exec_work_fd);
                if (r < 0)
                        return fail("cannot load program", program, r);
        }

        struct sock_fprog prog = {0};
        if (strcmp(filter_path, "-")) {
                r = read_filter(filter_path, &prog);
                if (r < 0)
                        return fail("cannot read filter", filter_path, r);
        }

        /* dup2() leaves the new fd without close-on-exec: the inputs are
         * inherited; the sealed program's own fd stays close-on-exec. */
        for (size_t k = 0; k < n_inputs; k++)
                if (dup2(work_fds[k], inputs[k].target_fd) < 0)
                        return fail("cannot place input", inputs[k].path, negative_errno());
        if (sealed_exec_fd >= 0 && dup3(exec_work_fd, sealed_exec_fd, O_CLOEXEC) < 0)
                return fail("cannot place program", program, negative_errno());
        if (syscall(SYS_close_range, WORK_FD_BASE, ~0U, 0) < 0)
                return fail("cannot close", "work fds", negative_errno());

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return fail("cannot set", "no_new_privs", negative_errno());
        if (prog.filter && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
                return fail("cannot load filter", filter_path, negative_errno());

        if (sealed_exec_fd >= 0)
                syscall(SYS_execveat, sealed_exec_fd, "", target_argv, envp, AT_EMPTY_PATH);
        else
                execve(program, target_argv, envp);
        r = negative_errno();
        fprintf(stderr, "run_with_filter: cannot exec '%s': %s\n", program, strerror(-r));
        return r == -ENOENT ? 127 : 126;
}
