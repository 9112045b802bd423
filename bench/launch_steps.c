/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the kernel charges for the steps of a launch that are many syscalls
 * or none at all, so the launcher's choices between them are measured, not
 * guessed (issue 15):
 *   - resetting every signal disposition: 62 rt_sigaction(SIG_DFL), against
 *     learning the ignored set in one read of /proc/self/status first;
 *   - the bounding set: 41 PR_CAPBSET_DROP (each one a new set of
 *     credentials), against asking first with 41 PR_CAPBSET_READ;
 *   - one more credentials change (PR_CAP_AMBIENT_CLEAR_ALL) and capset;
 *   - one CPUID instruction: on a virtual machine it traps to the
 *     hypervisor, and every process start runs some (the C library's CPU
 *     feature detection, and libraries' own, such as nettle's).
 *
 *   bench-launch-steps [--runs N]
 *
 * Each run forks a fresh child (a step that changes credentials cannot be
 * repeated in one process) that times each step once, in CPU time of the
 * thread and in wall time, and sends both back.  Prints a Markdown table:
 * the median and fastest wall microseconds, and the median CPU microseconds.
 */
#include <cpuid.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum step {
        SIGACTION_62,
        PROC_STATUS,
        CAPBSET_READ_41,
        CAPBSET_DROP_41,
        AMBIENT_CLEAR,
        CAPSET,
        CPUID_1,
        N_STEPS
};

static const char *const step_label[N_STEPS] = {
        "62 × rt_sigaction(SIG_DFL): reset every disposition",
        "open + read + close /proc/self/status (SigIgn, CapBnd in one read)",
        "41 × prctl(PR_CAPBSET_READ): ask the bounding set",
        "41 × prctl(PR_CAPBSET_DROP): empty the bounding set (root)",
        "1 × prctl(PR_CAP_AMBIENT_CLEAR_ALL)",
        "1 × capset (effective, permitted, inheritable to none)",
        "1 × CPUID (leaf 7)",
};

static double now_ns(clockid_t clock) {
        struct timespec t;
        clock_gettime(clock, &t);
        return (double) t.tv_sec * 1e9 + (double) t.tv_nsec;
}

static void run_step(enum step s) {
        static const unsigned long dfl[4] = {0};
        char buf[4096];
        switch (s) {
        case SIGACTION_62:
                for (int sig = 1; sig <= 64; sig++)
                        if (sig != 9 && sig != 19)
                                syscall(SYS_rt_sigaction, sig, dfl, NULL, 8);
                break;
        case PROC_STATUS: {
                int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
                if (fd >= 0) {
                        (void) !read(fd, buf, sizeof(buf));
                        close(fd);
                }
                break;
        }
        case CAPBSET_READ_41:
                for (int c = 0; c <= 40; c++)
                        prctl(PR_CAPBSET_READ, c, 0, 0, 0);
                break;
        case CAPBSET_DROP_41:
                for (int c = 0; c <= 40; c++)
                        prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
                break;
        case AMBIENT_CLEAR:
                prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
                break;
        case CAPSET: {
                struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
                struct __user_cap_data_struct d[2] = {{0}};
                syscall(SYS_capset, &h, d);
                break;
        }
        case CPUID_1: {
                unsigned a, b, c, d;
                __cpuid_count(7, 0, a, b, c, d);
                __asm__ volatile("" : : "r"(a), "r"(b), "r"(c), "r"(d));
                break;
        }
        default:
                break;
        }
}

/* In a fresh child: each step once; wall and CPU ns into out[2 * N_STEPS]. */
static int measure_once(double out[2 * N_STEPS]) {
        int p[2];
        if (pipe(p) < 0)
                return -1;
        pid_t pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0) {
                double r[2 * N_STEPS];
                for (int s = 0; s < N_STEPS; s++) {
                        double w = now_ns(CLOCK_MONOTONIC), c = now_ns(CLOCK_THREAD_CPUTIME_ID);
                        run_step((enum step) s);
                        r[2 * s] = now_ns(CLOCK_MONOTONIC) - w;
                        r[2 * s + 1] = now_ns(CLOCK_THREAD_CPUTIME_ID) - c;
                }
                _exit(write(p[1], r, sizeof(r)) == (ssize_t) sizeof(r) ? 0 : 1);
        }
        close(p[1]);
        ssize_t n = read(p[0], out, 2 * N_STEPS * sizeof(double));
        close(p[0]);
        int status;
        waitpid(pid, &status, 0);
        return n == (ssize_t) (2 * N_STEPS * sizeof(double)) ? 0 : -1;
}

static int cmp(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

int main(int argc, char **argv) {
        int runs = 300;
        if (argc == 3 && !strcmp(argv[1], "--runs"))
                runs = atoi(argv[2]);
        else if (argc != 1) {
                fprintf(stderr, "usage: bench-launch-steps [--runs N]\n");
                return 2;
        }
        if (runs < 1)
                runs = 1;
        double *v = calloc((size_t) runs * 2 * N_STEPS, sizeof(double));
        if (!v)
                return 1;
        int got = 0;
        for (int r = 0; r < runs; r++)
                if (measure_once(v + (size_t) got * 2 * N_STEPS) == 0)
                        got++;
        if (!got)
                return fprintf(stderr, "bench-launch-steps: no run completed\n"), 1;
        double *col = calloc((size_t) got, sizeof(double));
        printf("| step | median µs (wall) | fastest µs (wall) | median µs (CPU) |\n|---|---:|---:|---:|\n");
        for (int s = 0; s < N_STEPS; s++) {
                double wall_med = 0, wall_min = 0, cpu_med = 0;
                for (int k = 0; k < 2; k++) {
                        for (int r = 0; r < got; r++)
                                col[r] = v[(size_t) r * 2 * N_STEPS + 2 * s + k] / 1e3;
                        qsort(col, (size_t) got, sizeof(double), cmp);
                        if (k == 0) {
                                wall_med = col[got / 2];
                                wall_min = col[0];
                        } else
                                cpu_med = col[got / 2];
                }
                printf("| %s | %.1f | %.1f | %.1f |\n", step_label[s], wall_med, wall_min, cpu_med);
        }
        printf("\n%d runs, each in a fresh child%s.\n", got,
               geteuid() == 0 ? ""
                              : " (not root: the drops and capset fail at once, no change of credentials)");
        free(col);
        free(v);
        return 0;
}
