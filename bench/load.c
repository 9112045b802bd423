/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-load: how fast sealfd_load_path() fills a fully sealed memfd,
 * beside memcpy of the same size (steady state, same run) and
 * `cat FILE > /dev/shm/x`.  A benchmark, not a test: it asserts nothing
 * about time.  Usage: bench-load [--runs N] [--dir DIR]
 * Files are created in DIR (default /tmp), read once to warm the page
 * cache, and removed at the end. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sealfd.h"

static double now(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double) t.tv_sec + (double) t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
        qsort(v, (size_t) n, sizeof(double), cmp_double);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what) {
        fprintf(stderr, "bench-load: %s: %s\n", what, strerror(errno));
        exit(1);
}

static void make_file(const char *path, size_t size) {
        static char chunk[1 << 20];
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0)
                die(path);
        for (size_t i = 0; i < sizeof(chunk); i++)
                chunk[i] = (char) (i * 131 + 7);
        for (size_t off = 0; off < size;) {
                size_t n = size - off < sizeof(chunk) ? size - off : sizeof(chunk);
                if (write(fd, chunk, n) != (ssize_t) n)
                        die("write");
                off += n;
        }
        close(fd);
        /* warm the page cache */
        fd = open(path, O_RDONLY | O_CLOEXEC);
        while (read(fd, chunk, sizeof(chunk)) > 0)
                ;
        close(fd);
}

/* Repeats inside one sample so that a sample lasts about a millisecond or
 * more: clock resolution stays irrelevant at 4 KiB. */
static int reps_for(size_t size) {
        return size >= (1u << 20) ? 1 : (int) ((1u << 20) / size);
}

static double time_load(const char *path, size_t size) {
        int reps = reps_for(size);
        double t0 = now(), spent = 0;
        for (int i = 0; i < reps; i++) {
                double a = now();
                int fd = sealfd_load_path(path, NULL);
                spent += now() - a;
                if (fd < 0) {
                        errno = -fd;
                        die("sealfd_load_path");
                }
                if (sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, (int64_t) size) < 0)
                        die("sealfd_verify");
                close(fd); /* freeing the copy is not part of loading it */
        }
        (void) t0;
        return spent / reps;
}

static double time_memcpy(char *dst, const char *src, size_t size) {
        int reps = reps_for(size);
        double t0 = now();
        for (int i = 0; i < reps; i++) {
                memcpy(dst, src, size);
                __asm__ volatile("" : : "r"(dst) : "memory");
        }
        return (now() - t0) / reps;
}

/* The everyday way: cat(1) with its stdout on a /dev/shm file, exec
 * included (that is what the everyday way costs). */
static double time_cat(const char *path, size_t size) {
        const char *out = "/dev/shm/sealfd-bench-cat";
        double t0 = now();
        pid_t pid = fork();
        if (pid == 0) {
                int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
                        _exit(127);
                execlp("cat", "cat", path, (char *) NULL);
                _exit(127);
        }
        int status;
        waitpid(pid, &status, 0);
        double t = now() - t0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                errno = EIO;
                die("cat");
        }
        unlink(out);
        (void) size;
        return t;
}

static void fmt_size(size_t size, char *buf, size_t len) {
        if (size >= (1u << 30))
                snprintf(buf, len, "%zu GiB", size >> 30);
        else if (size >= (1u << 20))
                snprintf(buf, len, "%zu MiB", size >> 20);
        else
                snprintf(buf, len, "%zu KiB", size >> 10);
}

int main(int argc, char **argv) {
        const size_t sizes[] = {4096, 1u << 20, 64u << 20, 1u << 30};
        const char *dir = "/tmp";
        int runs = 11, c;
        static const struct option longopts[] = {
                {"runs", required_argument, NULL, 'r'},
                {"dir", required_argument, NULL, 'd'},
                {0},
        };
        while ((c = getopt_long(argc, argv, "r:d:", longopts, NULL)) != -1) {
                if (c == 'r')
                        runs = atoi(optarg);
                else if (c == 'd')
                        dir = optarg;
                else
                        return 2;
        }
        if (runs < 1 || runs > 1000)
                return 2;

        struct statfs sfs;
        if (statfs(dir, &sfs) < 0)
                die(dir);
        printf("source files in %s (statfs f_type 0x%lx), page cache warm, median of %d runs\n\n", dir,
               (unsigned long) sfs.f_type, runs);
        printf("| size | sealfd_load_path GB/s | memcpy GB/s | load / memcpy | cat > /dev/shm GB/s | cat / "
               "memcpy |\n");
        printf("|---:|---:|---:|---:|---:|---:|\n");

        double *t_load = calloc((size_t) runs, sizeof(double));
        double *t_mem = calloc((size_t) runs, sizeof(double));
        double *t_cat = calloc((size_t) runs, sizeof(double));
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
                size_t size = sizes[s];
                char path[4096], label[32];
                snprintf(path, sizeof(path), "%s/sealfd-bench-%zu", dir, size);
                make_file(path, size);
                char *src = malloc(size), *dst = malloc(size);
                if (!src || !dst)
                        die("malloc");
                memset(src, 1, size); /* fault everything in: steady state */
                memset(dst, 2, size);

                (void) time_load(path, size); /* warm-up of each path */
                (void) time_memcpy(dst, src, size);
                (void) time_cat(path, size);
                for (int r = 0; r < runs; r++) {
                        t_load[r] = time_load(path, size);
                        t_mem[r] = time_memcpy(dst, src, size);
                        t_cat[r] = time_cat(path, size);
                }
                double load = (double) size / median(t_load, runs) / 1e9;
                double mem = (double) size / median(t_mem, runs) / 1e9;
                double cat = (double) size / median(t_cat, runs) / 1e9;
                fmt_size(size, label, sizeof(label));
                printf("| %s | %.2f | %.2f | %.2f | %.3f | %.3f |\n", label, load, mem, load / mem, cat,
                       cat / mem);
                fflush(stdout);
                free(src);
                free(dst);
                unlink(path);
        }
        free(t_load);
        free(t_mem);
        free(t_cat);
        return 0;
}
