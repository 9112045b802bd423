/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-explain-cost N: N getppid() calls timed in-process, then one line
 * "ns_per_call X".  Run under sealrun with a policy that denies getppid
 * with an errno, once plain (the errno comes from BPF) and once with
 * --explain (every call goes to the supervisor, which prints a line and
 * answers): the difference is the cost of one explained denial, launch
 * excluded.  Static, so the policy (policies/explain-cost.policy) stays small.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
        long n = argc > 1 ? atol(argv[1]) : 1000;
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (long i = 0; i < n; i++)
                (void) syscall(SYS_getppid);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double ns = (double) (b.tv_sec - a.tv_sec) * 1e9 + (double) (b.tv_nsec - a.tv_nsec);
        printf("ns_per_call %.0f\n", n > 0 ? ns / (double) n : 0.0);
        return 0;
}
