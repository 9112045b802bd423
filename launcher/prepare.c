/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pipeline stage 3, prepare: see prepare.h. */
#include "prepare.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "file_type.h"
#include "prepare_fds.h"
#include "sealed_checks.h"
#include "commands.h"
#include "fd_number.h"
#include "path_search.h"
#include "rlimit_name.h"
#include "sealfd.h"
#include "sha256_hex.h"
#include "syscall_policy.h"

#define STAGE "prepare"

void prepared_free(struct prepared *pr) {
        for (size_t i = 0; i < pr->n_fds; i++)
                safe_close(pr->fds[i]);
        free(pr->fds);
        safe_close(pr->binary_fd);
        free(pr->exec_path);
        exec_args_free(&pr->exec);
        filter_free(&pr->filter);
        safe_close(pr->landlock_fd);
        free(pr->landlock_rights);
        free(pr->landlock_status);
        user_ids_free(&pr->user);
        safe_close(pr->handoff_fd);
        *pr = (struct prepared) PREPARED_INIT;
}

/* libsealfd says "-ESPIPE: FIFO, pipe or socket"; the user wants to hear
 * which one. */
static const char *type_words(const char *path, int fd, int r, uint64_t max, char *buf, unsigned size) {
        struct stat st;
        int k = path ? stat(path, &st) : fstat(fd, &st);
        if ((r == -ESPIPE || r == -ENODEV || r == -EINVAL || r == -ENXIO) && k == 0) {
                if (S_ISFIFO(st.st_mode) && !path)
                        return "is a pipe or FIFO";
                if (file_type_words(st.st_mode))
                        return file_type_words(st.st_mode);
        }
        return launch_error_load_words(r, max, buf, size);
}

/* Why an fd the caller gave cannot be read: reading gives EBADF for a
 * write-only or O_PATH fd too, which is not "not open". */
static const char *unreadable_fd_words(int fd) {
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0)
                return "is not an open fd";
        if (flags & O_PATH)
                return "is an O_PATH fd, which cannot be read";
        if ((flags & O_ACCMODE) == O_WRONLY)
                return "is open for writing only, not for reading";
        return "cannot be read (Bad file descriptor)";
}

static int load_input(const struct plan_fd *f, int *ret_fd, struct launch_error *e) {
        _cleanup_free_ char *thing = NULL;
        if (f->source == INPUT_SOURCE_PATH
                    ? asprintf(&thing, "input '%s' (%s)", f->name, f->path) < 0
                    : asprintf(&thing, "input '%s' (fd %d)", f->name, f->source_fd) < 0)
                return -ENOMEM;
        struct sealfd_load_options o = {.name = f->name, .max_size = f->max_size, .seals = f->seals};
        int fd;
        if (f->source == INPUT_SOURCE_PATH)
                fd = sealfd_load_path(f->path, &o);
        else if (fcntl(f->source_fd, F_GETFD) < 0)
                fd = -EBADF;
        else {
                /* An inherited fd is how a pipe reaches the launcher: copy to EOF. */
                o.flags |= SEALFD_LOAD_ALLOW_STREAM;
                fd = sealfd_load_fd(f->source_fd, &o);
        }
        if (fd < 0) {
                char buf[128];
                const char *words =
                        fd == -EBADF && f->source == INPUT_SOURCE_FD
                                ? unreadable_fd_words(f->source_fd)
                                : type_words(f->path, f->source_fd, fd, f->max_size, buf, sizeof(buf));
                return launch_error_set(e, STAGE, -fd, thing, "%s", words);
        }
        *ret_fd = fd;
        return 0;
}

/* 127 when errnum says the program is not there, else 126 (env(1)). */
static int missing_status(int errnum) {
        return errnum == ENOENT || errnum == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
}

/* 126 and 127 as env(1) uses them: found but not executable, not found.
 * No check twice: a PATH candidate has passed access(X_OK) already, and
 * for sealed exec the load's own open and fstat find a directory or a
 * special file (load_binary). */
static int check_program(const struct plan *p, struct prepared *pr, struct launch_error *e) {
        _cleanup_free_ char *thing = NULL;
        if (asprintf(&thing, "program '%s'", p->program) < 0)
                return -ENOMEM;
        bool searched = !strchr(p->program, '/');
        char *path = searched ? path_search(p->program) : strdup(p->program);
        if (!path) {
                return launch_error_set_exit(e, EXIT_NOT_FOUND, STAGE, ENOENT, thing, "not found in PATH");
        }
        pr->exec_path = path;
        /* Checked here, run after the chdir to the workload's cwd: a
         * relative path (./prog, or found through a relative PATH entry)
         * is made absolute now, so the file checked is the file run. */
        if (path[0] != '/') {
                _cleanup_free_ char *cwd = getcwd(NULL, 0);
                if (!cwd)
                        return launch_error_set(e, STAGE, errno, thing,
                                                "is a relative path, and the current directory cannot be "
                                                "found (%s)",
                                                strerror(errno));
                char *absolute;
                if (asprintf(&absolute, "%s/%s", strcmp(cwd, "/") ? cwd : "", path) < 0)
                        return -ENOMEM;
                free(pr->exec_path);
                pr->exec_path = path = absolute;
        }
        struct stat setid;
        if (p->filter.supervise == SUPERVISE_LEARN && !p->filter.allow_privileged &&
            stat(path, &setid) == 0 && (setid.st_mode & (S_ISUID | S_ISGID)))
                return launch_error_set(e, STAGE, EPERM, thing,
                                        "learn: is setuid or setgid (--allow-privileged learns it anyway)");
        if (p->exec_mode != EXEC_MODE_SEALED) {
                struct stat st;
                if (stat(path, &st) < 0)
                        return launch_error_set_exit(e, missing_status(errno), STAGE, errno, thing, "%s",
                                                     strerror(errno));
                if (S_ISDIR(st.st_mode))
                        return launch_error_set_exit(e, EXIT_CANNOT_EXECUTE, STAGE, EISDIR, thing,
                                                     "is a directory");
                if (!S_ISREG(st.st_mode))
                        return launch_error_set_exit(e, EXIT_CANNOT_EXECUTE, STAGE, EACCES, thing, "%s",
                                                     file_type_words(st.st_mode) ? file_type_words(st.st_mode)
                                                                                 : "is not a regular file");
                int r = path_exec_check(path, thing, e);
                if (r < 0)
                        return r;
        }
        if (!searched && access(path, X_OK) < 0) {
                int status = missing_status(errno);
                if (status == EXIT_NOT_FOUND)
                        return launch_error_set_exit(e, status, STAGE, errno, thing, "%s", strerror(errno));
                return launch_error_set_exit(e, status, STAGE, errno, thing, "is not executable (%s)",
                                             strerror(errno));
        }
        return 0;
}

static int check_pin(const struct plan *p, int fd, const char *thing, struct launch_error *e) {
        if (!p->has_sha256)
                return 0;
        uint8_t digest[SEALFD_SHA256_SIZE];
        int r = sealfd_digest_sha256(fd, digest);
        if (r < 0)
                return launch_error_set(e, STAGE, -r, thing, "cannot compute SHA-256: %s", strerror(-r));
        if (memcmp(digest, p->sha256, sizeof(digest))) {
                char want[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1];
                sha256_hex_format(p->sha256, want);
                sha256_hex_format(digest, got);
                return launch_error_set(e, STAGE, EBADMSG, thing, "SHA-256 mismatch: expected %s, got %s",
                                        want, got);
        }
        return 0;
}

/* 127 and 126 are the program's (missing; unreadable, a directory, not
 * executable); a shortage of the launcher's own (EMFILE, ENOMEM, ENOSPC,
 * a file-size limit) or a machine that forbids executable memfds is
 * sealrun failing: 125, as for an input. */
static int sealed_copy_error(const char *path, int r, const char *thing, struct launch_error *e) {
        char buf[128];
        int status = EXIT_LAUNCHER_FAILED;
        if (r == -ENOENT || r == -ENOTDIR)
                status = EXIT_NOT_FOUND;
        else if (r == -EISDIR || r == -EACCES || r == -EPERM || r == -ELOOP || r == -ENOEXEC)
                status = EXIT_CANNOT_EXECUTE;
        if (r == -EISDIR)
                return launch_error_set_exit(e, status, STAGE, EISDIR, thing, "is a directory");
        if (r == -EACCES && access(path, R_OK) == 0 && sealfd_noexec_policy() == 2)
                return launch_error_set_exit(e, EXIT_LAUNCHER_FAILED, STAGE, EACCES, thing,
                                             "cannot make a sealed copy: vm.memfd_noexec is 2 here, which "
                                             "forbids executable memfds; run it by path (without --sealed), "
                                             "or where vm.memfd_noexec is 0 or 1");
        return launch_error_set_exit(e, status, STAGE, -r, thing, "cannot make a sealed copy: %s",
                                     launch_error_load_words(r, 0, buf, sizeof(buf)));
}

static int load_binary(const struct plan *p, struct prepared *pr, struct launch_error *e) {
        _cleanup_free_ char *thing = NULL;
        if (asprintf(&thing, "program '%s'", p->program) < 0)
                return -ENOMEM;
        const char *base = strrchr(pr->exec_path, '/');
        struct sealfd_load_options o = {.name = base ? base + 1 : pr->exec_path,
                                        .flags = SEALFD_LOAD_EXECUTABLE};
        int fd = sealfd_load_path(pr->exec_path, &o);
        if (fd < 0)
                return sealed_copy_error(pr->exec_path, fd, thing, e);
        pr->binary_fd = fd;
        char magic[4] = {0};
        ssize_t n = sealfd_pread(fd, magic, sizeof(magic), 0);
        pr->binary_is_script = n >= 2 && magic[0] == '#' && magic[1] == '!';
        int r = check_pin(p, fd, thing, e);
        if (r < 0)
                return r;
        /* Refused here, before anything irreversible: after the filter is
         * loaded the launcher may have no way left to say why. */
        if (!pr->binary_is_script && (n < 4 || memcmp(magic, "\177ELF", 4))) {
                return launch_error_set_exit(e, EXIT_CANNOT_EXECUTE, STAGE, ENOEXEC, thing,
                                             "is not an executable format (neither ELF nor a #! script)");
        }
        return sealed_binary_check(fd, pr->binary_is_script, thing, e);
}

static int check_capabilities(const struct plan *p, struct launch_error *e) {
        if (!p->caps_keep)
                return 0;
        cap_t caps = cap_get_proc();
        if (!caps)
                return launch_error_set(e, STAGE, errno, "capabilities", "cannot read: %s", strerror(errno));
        int r = 0;
        for (int c = 0; c < 64 && r == 0; c++) {
                cap_flag_value_t v = CAP_CLEAR;
                if (!(p->caps_keep & (UINT64_C(1) << c)))
                        continue;
                if (cap_get_flag(caps, (cap_value_t) c, CAP_PERMITTED, &v) < 0 || v != CAP_SET) {
                        char *name = cap_to_name((cap_value_t) c);
                        char thing[80];
                        snprintf(thing, sizeof(thing), "capability %s", name ? name : "?");
                        cap_free(name);
                        r = launch_error_set(e, STAGE, EPERM, thing,
                                             "sealrun does not hold it, so it cannot be kept (run as root?)");
                }
        }
        cap_free(caps);
        return r;
}

static int check_cwd(const struct plan *p, struct launch_error *e) {
        struct stat st;
        if (!p->cwd)
                return 0;
        char thing[4200];
        snprintf(thing, sizeof(thing), "cwd '%s'", p->cwd);
        if (stat(p->cwd, &st) < 0)
                return launch_error_set(e, STAGE, errno, thing, "%s", strerror(errno));
        if (!S_ISDIR(st.st_mode))
                return launch_error_set(e, STAGE, ENOTDIR, thing, "is not a directory");
        return 0;
}

static bool has_effective_cap(cap_value_t c) {
        cap_t caps = cap_get_proc();
        cap_flag_value_t v = CAP_CLEAR;
        if (caps)
                (void) cap_get_flag(caps, c, CAP_EFFECTIVE, &v);
        cap_free(caps);
        return v == CAP_SET;
}

/* fs.nr_open, the most RLIMIT_NOFILE can be; UINT64_MAX when unknown. */
static uint64_t read_nr_open(void) {
        _cleanup_close_ int fd = open("/proc/sys/fs/nr_open", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        char buf[32];
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        if (n <= 0)
                return UINT64_MAX;
        buf[n] = '\0';
        return strtoull(buf, NULL, 10);
}

static int check_rlimit(const struct rlimit_setting *l, const struct rlimit *now, bool sys_resource,
                        uint64_t nr_open, struct launch_error *e) {
        uint64_t cur = now->rlim_max == RLIM_INFINITY ? UINT64_MAX : now->rlim_max;
        char thing[96], value[24] = "unlimited";
        if (l->hard != UINT64_MAX)
                snprintf(value, sizeof(value), "%llu", (unsigned long long) l->hard);
        snprintf(thing, sizeof(thing), "rlimit %s (%s)", rlimit_name(l->resource), value);
        if (l->hard > cur && !sys_resource)
                return launch_error_set(e, STAGE, EPERM, thing,
                                        "above %s (%llu), which only CAP_SYS_RESOURCE can raise",
                                        l->resource == RLIMIT_NOFILE ? "the hard limit on open files"
                                                                     : "sealrun's own hard limit",
                                        (unsigned long long) cur);
        if (l->resource == RLIMIT_NOFILE && l->hard > nr_open)
                return launch_error_set(e, STAGE, EPERM, thing,
                                        "above fs.nr_open (%llu), the most the kernel allows",
                                        (unsigned long long) nr_open);
        return 0;
}

/* What commit would otherwise only find out after the irreversible steps,
 * and then without naming the input or the limit. */
static int check_limits(const struct plan *p, struct launch_error *e) {
        struct rlimit nofile;
        if (getrlimit(RLIMIT_NOFILE, &nofile) < 0)
                return launch_error_set(e, STAGE, errno, "RLIMIT_NOFILE", "cannot read: %s", strerror(errno));
        uint64_t hard = nofile.rlim_max == RLIM_INFINITY ? UINT64_MAX : nofile.rlim_max;
        /* commit.c moves every fd above the highest target first. */
        uint64_t moves = p->n_fds + (p->binary_fd >= 0) + (p->status_fd >= 0) + p->landlock.enabled;
        for (size_t i = 0; i < p->n_fds; i++) {
                const struct plan_fd *f = &p->fds[i];
                uint64_t need = fd_room_required((uint64_t) f->target_fd, moves);
                if (need <= hard)
                        continue;
                char thing[300];
                snprintf(thing, sizeof(thing), "input '%s' (fd %d)", f->name, f->target_fd);
                if ((uint64_t) f->target_fd >= hard)
                        return launch_error_set(e, STAGE, EMFILE, thing,
                                                "above the hard limit on open files (%llu)",
                                                (unsigned long long) hard);
                return launch_error_set(
                        e, STAGE, EMFILE, thing,
                        "too close to the hard limit on open files (%llu): placing the fds needs "
                        "%llu free numbers above it",
                        (unsigned long long) hard, (unsigned long long) (need - f->target_fd - 1));
        }
        bool sys_resource = p->n_rlimits && has_effective_cap(CAP_SYS_RESOURCE);
        uint64_t nr_open = UINT64_MAX;
        for (size_t i = 0; i < p->n_rlimits; i++) {
                const struct rlimit_setting *l = &p->rlimits[i];
                struct rlimit now;
                if (getrlimit(l->resource, &now) < 0)
                        continue; /* commit reports it, naming the limit */
                /* Only raising the hard limit can pass fs.nr_open (the
                 * current one is within it), and a sealed exec always sets
                 * RLIMIT_NOFILE, usually lower: /proc only when needed. */
                if (l->resource == RLIMIT_NOFILE && nr_open == UINT64_MAX && l->hard > now.rlim_max)
                        nr_open = read_nr_open();
                int r = check_rlimit(l, &now, sys_resource, nr_open, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Every sealed exec passes these pointers, filter or not: commit has one
 * execveat. */
static int place_exec_args(const struct plan *p, struct exec_args *ret, struct launch_error *e) {
        int r = exec_args_new(p->argv, p->n_argv, p->envp, p->n_envp, ret);
        if (r < 0)
                return launch_error_set(e, STAGE, -r, "sealed exec", "cannot place the exec arguments: %s",
                                        strerror(-r));
        return 0;
}

int prepare_run(const struct plan *p, struct prepared *ret, struct diag *d, struct launch_error *e) {
        struct prepared pr = PREPARED_INIT;
        int r = prepare_check_fds(p, e);
        if (r >= 0)
                r = check_limits(p, e);
        if (r >= 0)
                r = (pr.fds = calloc(p->n_fds + 1, sizeof(int))) ? 0 : -ENOMEM;
        /* The program first: a missing one must not cost copying inputs. */
        if (r >= 0)
                r = check_program(p, &pr, e);
        if (r >= 0)
                r = prepare_confinement(p, &pr, e);
        if (r >= 0 && p->exec_mode == EXEC_MODE_SEALED)
                r = load_binary(p, &pr, e);
        for (size_t i = 0; r >= 0 && i < p->n_fds; i++) {
                pr.fds[i] = -1;
                r = load_input(&p->fds[i], &pr.fds[i], e);
                pr.n_fds = i + 1;
        }
        if (r >= 0)
                r = check_cwd(p, e);
        if (r >= 0)
                r = check_capabilities(p, e);
        if (r >= 0 && p->binary_fd >= 0)
                r = place_exec_args(p, &pr.exec, e);
        if (r >= 0)
                r = filter_build(p, &pr.exec, &pr.filter, d, e);
        if (r < 0) {
                prepared_free(&pr);
                return launch_error_nomem(e, STAGE, r);
        }
        *ret = pr;
        return 0;
}
