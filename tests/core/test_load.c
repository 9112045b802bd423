/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loading files, fds and buffers into fully sealed memfds. */
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "core_test.h"

static char dir[64];

static int setup(void **state) {
        make_tmpdir(dir, sizeof(dir));
        return 0;
}

static int teardown(void **state) {
        rm_rf(dir);
        return 0;
}

static void path_in_dir(char *buf, size_t size, const char *name) {
        snprintf(buf, size, "%s/%s", dir, name);
}

static sealfd_seals_t default_seals(void) {
        sealfd_seals_t s = SEALFD_SEALS_IMMUTABLE;
        if (sealfd_supports(SEALFD_FEATURE_SEAL_EXEC) > 0)
                s |= SEALFD_SEAL_EXEC;
        return s;
}

static void check_loaded(int fd, uint64_t size, unsigned seed) {
        struct stat st;
        assert_true(fd >= 0);
        assert_int_equal(sealfd_verify(fd, SEALFD_SEALS_IMMUTABLE, (int64_t) size), 0);
        assert_int_equal((sealfd_seals_t) sealfd_seals_get(fd), default_seals());
        assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 0111, 0); /* data is not executable */
        assert_true(fd_has_pattern(fd, size, seed));
}

static void load_file_of_size(uint64_t size) {
        char path[128];
        path_in_dir(path, sizeof(path), "src");
        write_pattern_file(path, size, (unsigned) size);
        int fd = sealfd_load_path(path, NULL);
        check_loaded(fd, size, (unsigned) size);
        close(fd);
}

static void load_0_bytes(void **state) {
        load_file_of_size(0);
}
static void load_1_byte(void **state) {
        load_file_of_size(1);
}
static void load_4_kib(void **state) {
        load_file_of_size(4096);
}
static void load_odd_size_across_pages(void **state) {
        load_file_of_size(5 * 4096 + 1234);
}
static void load_64_mib(void **state) {
        load_file_of_size(64u << 20);
}

static void load_fd_copies_whole_file_and_keeps_offset(void **state) {
        char path[128];
        path_in_dir(path, sizeof(path), "fd");
        write_pattern_file(path, 10000, 9);
        int src = open(path, O_RDONLY | O_CLOEXEC);
        assert_int_equal(lseek(src, 777, SEEK_SET), 777);
        int fd = sealfd_load_fd(src, NULL);
        check_loaded(fd, 10000, 9);
        assert_int_equal(lseek(src, 0, SEEK_CUR), 777);
        close(fd);
        close(src);
}

static void load_buffer_copies_and_seals(void **state) {
        char buf[9000];
        fill_pattern(buf, sizeof(buf), 0, 4);
        int fd = sealfd_load_buffer(buf, sizeof(buf), NULL);
        check_loaded(fd, sizeof(buf), 4);
        close(fd);
        fd = sealfd_load_buffer(NULL, 0, NULL);
        check_loaded(fd, 0, 0);
        close(fd);
        assert_int_equal(sealfd_load_buffer(NULL, 1, NULL), -EINVAL);
        struct sealfd_load_options o = {.max_size = 100};
        assert_int_equal(sealfd_load_buffer(buf, 101, &o), -EFBIG);
}

static void directory_is_eisdir(void **state) {
        assert_int_equal(sealfd_load_path(dir, NULL), -EISDIR);
        int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(sealfd_load_fd(d, NULL), -EISDIR);
        close(d);
}

static void fifo_is_espipe_without_blocking(void **state) {
        char path[128];
        path_in_dir(path, sizeof(path), "fifo");
        assert_int_equal(mkfifo(path, 0600), 0);
        /* no writer exists: opening it for reading would block forever */
        assert_int_equal(sealfd_load_path(path, NULL), -ESPIPE);
        int p[2];
        assert_int_equal(pipe(p), 0);
        assert_int_equal(sealfd_load_fd(p[0], NULL), -ESPIPE);
        close(p[0]);
        close(p[1]);
}

static void socket_is_espipe(void **state) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        path_in_dir(sa.sun_path, sizeof(sa.sun_path), "sock");
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_int_equal(bind(s, (struct sockaddr *) &sa, sizeof(sa)), 0);
        assert_int_equal(sealfd_load_path(sa.sun_path, NULL), -ESPIPE);
        assert_int_equal(sealfd_load_fd(s, NULL), -ESPIPE);
        close(s);
}

static void char_device_is_enodev(void **state) {
        assert_int_equal(sealfd_load_path("/dev/null", NULL), -ENODEV);
        int n = open("/dev/zero", O_RDONLY | O_CLOEXEC);
        assert_int_equal(sealfd_load_fd(n, NULL), -ENODEV);
        close(n);
}

static void missing_file_is_enoent(void **state) {
        char path[128];
        path_in_dir(path, sizeof(path), "missing");
        assert_int_equal(sealfd_load_path(path, NULL), -ENOENT);
        assert_int_equal(sealfd_load_path(NULL, NULL), -EINVAL);
        assert_int_equal(sealfd_load_path("", NULL), -EINVAL);
        assert_int_equal(sealfd_load_fd(-1, NULL), -EBADF);
}

static void bad_options_are_einval(void **state) {
        struct sealfd_load_options o = {.flags = 1u << 10};
        assert_int_equal(sealfd_load_buffer("x", 1, &o), -EINVAL);
        struct sealfd_load_options p = {.seals = 0x4000};
        assert_int_equal(sealfd_load_buffer("x", 1, &p), -EINVAL);
}

static void size_limit_is_efbig(void **state) {
        char path[128];
        path_in_dir(path, sizeof(path), "limit");
        write_pattern_file(path, 4097, 2);
        struct sealfd_load_options o = {.max_size = 4096};
        assert_int_equal(sealfd_load_path(path, &o), -EFBIG);
        o.max_size = 4097;
        int fd = sealfd_load_path(path, &o);
        check_loaded(fd, 4097, 2);
        close(fd);
}

static void endless_stream_is_efbig(void **state) {
        struct sealfd_load_options o = {.flags = SEALFD_LOAD_ALLOW_STREAM, .max_size = 1 << 20};
        assert_int_equal(sealfd_load_path("/dev/zero", &o), -EFBIG);
        o.max_size = 0;
        int fd = sealfd_load_path("/dev/null", &o);
        check_loaded(fd, 0, 0);
        close(fd);
}

static void writer_child(int wfd, size_t size, unsigned seed) {
        static char buf[1 << 16];
        for (size_t off = 0; off < size;) {
                size_t n = size - off > sizeof(buf) ? sizeof(buf) : size - off;
                fill_pattern(buf, n, off, seed);
                if (write(wfd, buf, n) != (ssize_t) n)
                        _exit(1);
                off += n;
        }
        _exit(0);
}

static void stream_pipe_and_socket_when_allowed(void **state) {
        struct sealfd_load_options o = {.flags = SEALFD_LOAD_ALLOW_STREAM};
        int p[2], s[2], status;
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        pid_t pid = fork();
        if (pid == 0) {
                close(p[0]);
                writer_child(p[1], 300000, 5);
        }
        close(p[1]);
        int fd = sealfd_load_fd(p[0], &o);
        check_loaded(fd, 300000, 5);
        close(fd);
        close(p[0]);
        waitpid(pid, &status, 0);

        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s), 0);
        pid = fork();
        if (pid == 0) {
                close(s[0]);
                writer_child(s[1], 200001, 6);
        }
        close(s[1]);
        fd = sealfd_load_fd(s[0], &o);
        check_loaded(fd, 200001, 6);
        close(fd);
        close(s[0]);
        waitpid(pid, &status, 0);
}

static void fifo_path_when_allowed(void **state) {
        struct sealfd_load_options o = {.flags = SEALFD_LOAD_ALLOW_STREAM};
        char path[128];
        int status;
        path_in_dir(path, sizeof(path), "fifo2");
        assert_int_equal(mkfifo(path, 0600), 0);
        pid_t pid = fork();
        if (pid == 0) {
                int w = open(path, O_WRONLY | O_CLOEXEC);
                writer_child(w, 70000, 8);
        }
        int fd = sealfd_load_path(path, &o);
        check_loaded(fd, 70000, 8);
        close(fd);
        waitpid(pid, &status, 0);
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void pseudo_file_with_size_0_is_read_to_eof(void **state) {
        int fd = sealfd_load_path("/proc/self/stat", NULL);
        assert_true(fd >= 0);
        assert_true(sealfd_size(fd) > 10);
        close(fd);
}

/* max_size + 1 must not wrap: the largest limit means "no limit". */
static void largest_max_size_is_no_limit(void **state) {
        struct sealfd_load_options o = {.max_size = UINT64_MAX, .flags = SEALFD_LOAD_ALLOW_STREAM};
        int p[2];
        assert_int_equal(pipe(p), 0);
        assert_int_equal(write(p[1], "hello pipe\n", 11), 11);
        close(p[1]);
        int fd = sealfd_load_fd(p[0], &o);
        close(p[0]);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_size(fd), 11);
        close(fd);

        char path[128];
        path_in_dir(path, sizeof(path), "src");
        write_pattern_file(path, 5000, 7);
        fd = sealfd_load_path(path, &o);
        check_loaded(fd, 5000, 7);
        close(fd);
}

/* sysfs reports st_size 4096 and holds less: read to EOF, not -ESTALE. */
static void sysfs_file_is_read_to_eof(void **state) {
        const char *path = "/sys/kernel/mm/transparent_hugepage/enabled";
        char expected[4096];
        int src = open(path, O_RDONLY | O_CLOEXEC);
        if (src < 0) {
                printf("SKIP: %s is not readable here (%m)\n", path);
                skip();
        }
        ssize_t n = read(src, expected, sizeof(expected));
        close(src);
        assert_true(n > 0 && n < 4096);

        int fd = sealfd_load_path(path, NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_size(fd), n);
        char got[4096];
        assert_int_equal(sealfd_pread(fd, got, sizeof(got), 0), n);
        assert_memory_equal(got, expected, (size_t) n);
        close(fd);
}

static void custom_seals_are_exact(void **state) {
        struct sealfd_load_options o = {.seals = SEALFD_SEAL_WRITE | SEALFD_SEAL_SEAL};
        int fd = sealfd_load_buffer("abc", 3, &o);
        assert_true(fd >= 0);
        sealfd_seals_t want = o.seals;
        if (sealfd_supports(SEALFD_FEATURE_CREATE_NOEXEC) > 0)
                want |= SEALFD_SEAL_EXEC; /* born with it as data */
        assert_int_equal((sealfd_seals_t) sealfd_seals_get(fd), want);
        close(fd);
}

static void inherit_flag_leaves_cloexec_off(void **state) {
        struct sealfd_load_options o = {.flags = SEALFD_LOAD_INHERIT, .name = "kept"};
        char name[16];
        int fd = sealfd_load_buffer("abc", 3, &o);
        assert_true(fd >= 0);
        assert_false(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        assert_int_equal(sealfd_name(fd, name, sizeof(name)), 4);
        assert_string_equal(name, "kept");
        close(fd);
}

static void executable_load_runs(void **state) {
        struct sealfd_load_options o = {.flags = SEALFD_LOAD_EXECUTABLE, .name = "true"};
        struct stat st;
        int status;
        if (sealfd_noexec_policy() == 2)
                SKIP_BECAUSE(
                        "vm.memfd_noexec is 2 here: executable memfds are refused (tested in test_noexec)");
        int fd = sealfd_load_path("/bin/true", &o);
        assert_true(fd >= 0);
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 0111, 0111);
        if (sealfd_supports(SEALFD_FEATURE_SEAL_EXEC) > 0) {
                assert_true(sealfd_seals_get(fd) & SEALFD_SEAL_EXEC);
                assert_int_equal(fchmod(fd, 0644), -1); /* frozen executable */
        }
        pid_t pid = fork();
        if (pid == 0) {
                char *argv[] = {"true", NULL}, *envp[] = {NULL};
                syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
                _exit(99);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        close(fd);
}

/* A child appends to the source while it is loaded.  Each attempt must end
 * in -ESTALE or in a copy that is a consistent prefix of the file (all
 * pattern bytes, the size it had when copying started and ended); -ESTALE
 * must be seen at least once.  Not timing-dependent for its verdict: if the
 * growth never overlaps a copy in 50 attempts the test fails loudly rather
 * than passing vacuously. */
static void growing_source_is_estale(void **state) {
        char path[128];
        int status, stale = 0, attempt;
        path_in_dir(path, sizeof(path), "grow");
        write_pattern_file(path, 16u << 20, 11);
        pid_t pid = fork();
        if (pid == 0) {
                static char buf[4096];
                int w = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
                for (uint64_t off = 16u << 20; off < (256ull << 20);) {
                        fill_pattern(buf, sizeof(buf), off, 11);
                        if (write(w, buf, sizeof(buf)) != (ssize_t) sizeof(buf))
                                _exit(1);
                        off += sizeof(buf);
                }
                _exit(0);
        }
        for (attempt = 0; attempt < 50 && !stale; attempt++) {
                int fd = sealfd_load_path(path, NULL);
                if (fd == -ESTALE) {
                        stale++;
                        continue;
                }
                assert_true(fd >= 0);
                assert_true(fd_has_pattern(fd, (uint64_t) sealfd_size(fd), 11));
                close(fd);
        }
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        printf("growth seen as -ESTALE after %d attempt(s)\n", attempt);
        assert_true(stale > 0);
}

/* Same size, bytes rewritten in place while loading: only the modification
 * time shows it.  Same retry rule as above. */
static void source_rewritten_in_place_is_estale(void **state) {
        char path[128];
        int status, stale = 0, attempt;
        path_in_dir(path, sizeof(path), "rewrite");
        write_pattern_file(path, 16u << 20, 12);
        pid_t pid = fork();
        if (pid == 0) {
                static char buf[4096];
                int w = open(path, O_WRONLY | O_CLOEXEC);
                fill_pattern(buf, sizeof(buf), 0, 99);
                for (uint64_t i = 0;; i++)
                        if (pwrite(w, buf, sizeof(buf), (off_t) ((i * 4096) % (16u << 20))) < 0)
                                _exit(1);
        }
        for (attempt = 0; attempt < 50 && !stale; attempt++) {
                int fd = sealfd_load_path(path, NULL);
                if (fd == -ESTALE) {
                        stale++;
                        continue;
                }
                assert_true(fd >= 0);
                assert_int_equal(sealfd_size(fd), 16u << 20);
                close(fd);
        }
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        printf("rewrite seen as -ESTALE after %d attempt(s)\n", attempt);
        assert_true(stale > 0);
}

static long vm_hwm_kib(void) {
        char line[256];
        long kib = -1;
        FILE *f = fopen("/proc/self/status", "re");
        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
                        break;
        fclose(f);
        return kib;
}

/* Peak RSS of a child loading 256 MiB grows by less than 8 MiB. */
static void peak_rss_stays_small_for_256_mib(void **state) {
        char path[128];
        int status, pipefd[2];
        path_in_dir(path, sizeof(path), "big");
        write_pattern_file(path, 256u << 20, 13);
        assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
        pid_t pid = fork();
        if (pid == 0) {
                /* "5" resets the peak to the current RSS (Linux 4.0). */
                int c = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
                if (c < 0 || write(c, "5", 1) != 1)
                        _exit(2);
                close(c);
                long before = vm_hwm_kib();
                int fd = sealfd_load_path(path, NULL);
                long after = vm_hwm_kib();
                long result[2] = {before, after};
                if (fd < 0 || sealfd_size(fd) != 256 << 20)
                        _exit(3);
                if (write(pipefd[1], result, sizeof(result)) != sizeof(result))
                        _exit(4);
                _exit(0);
        }
        close(pipefd[1]);
        long result[2];
        assert_int_equal(read(pipefd[0], result, sizeof(result)), sizeof(result));
        close(pipefd[0]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_int_equal(WEXITSTATUS(status), 0);
        printf("VmHWM before %ld kB, after %ld kB\n", result[0], result[1]);
        assert_true(result[0] > 0);
        assert_true(result[1] - result[0] < 8 * 1024);
        unlink(path);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(load_0_bytes),
                cmocka_unit_test(load_1_byte),
                cmocka_unit_test(load_4_kib),
                cmocka_unit_test(load_odd_size_across_pages),
                cmocka_unit_test(load_64_mib),
                cmocka_unit_test(load_fd_copies_whole_file_and_keeps_offset),
                cmocka_unit_test(load_buffer_copies_and_seals),
                cmocka_unit_test(directory_is_eisdir),
                cmocka_unit_test(fifo_is_espipe_without_blocking),
                cmocka_unit_test(socket_is_espipe),
                cmocka_unit_test(char_device_is_enodev),
                cmocka_unit_test(missing_file_is_enoent),
                cmocka_unit_test(bad_options_are_einval),
                cmocka_unit_test(size_limit_is_efbig),
                cmocka_unit_test(endless_stream_is_efbig),
                cmocka_unit_test(stream_pipe_and_socket_when_allowed),
                cmocka_unit_test(fifo_path_when_allowed),
                cmocka_unit_test(pseudo_file_with_size_0_is_read_to_eof),
                cmocka_unit_test(largest_max_size_is_no_limit),
                cmocka_unit_test(sysfs_file_is_read_to_eof),
                cmocka_unit_test(custom_seals_are_exact),
                cmocka_unit_test(inherit_flag_leaves_cloexec_off),
                cmocka_unit_test(executable_load_runs),
                cmocka_unit_test(growing_source_is_estale),
                cmocka_unit_test(source_rewritten_in_place_is_estale),
                cmocka_unit_test(peak_rss_stays_small_for_256_mib),
        };
        return cmocka_run_group_tests_name("load", tests, setup, teardown);
}
