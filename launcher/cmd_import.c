/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun import: seccomp policy text from another tool's definition.
 *   sealrun import docker PROFILE.json [--cap CAP]... [--kernel VERSION] [-o POLICY]
 *   sealrun import systemd @GROUP... [-o POLICY]
 * Exit 0 written; 1 the profile cannot be converted (one line naming its
 * JSON path); 125 usage or I/O errors.  Notes about what was dropped go to
 * stderr. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/capability.h>

#include "cleanup.h"
#include "commands.h"
#include "import_docker.h"
#include "import_systemd.h"
#include "strv.h"
#include "syscall_policy.h"

static void import_usage(FILE *out) {
        fputs("Usage: sealrun import docker PROFILE.json [--cap CAP]... [--kernel VERSION] [-o POLICY]\n"
              "       sealrun import systemd @GROUP... [-o POLICY]\n\n"
              "Write a seccomp policy (sealrun.policy(5)) from a Docker/OCI seccomp profile, the way\n"
              "runc builds its filter, or from systemd's syscall groups (SystemCallFilter=@...).\n"
              "What is dropped (other architectures, unknown syscalls) is said on stderr.\n\n"
              "Options:\n"
              "  -o, --output FILE          write the policy to FILE (default: standard output)\n"
              "  --cap CAP                  a capability of the bounding set, for the profile's\n"
              "                             includes/excludes (repeatable; CAP_SYS_ADMIN or sys_admin)\n"
              "  --kernel VERSION           the kernel version minKernel compares with (default: uname)\n"
              "  -h, --help                 show this help\n",
              out);
        fprintf(out, "\nsystemd's groups (%s):\n ", systemd_groups_source);
        for (size_t i = 0, col = 1; i < systemd_groups_count; i++) {
                size_t len = strlen(systemd_groups[i].name) + 1;
                if (col + len > 78) {
                        fputs("\n ", out);
                        col = 1;
                }
                fprintf(out, " %s", systemd_groups[i].name);
                col += len;
        }
        fputc('\n', out);
}

enum { OPT_CAP = 0x200, OPT_KERNEL };

struct import_options {
        const char *output;
        char **caps;
        size_t n_caps;
        unsigned kernel[3];
        bool kernel_set;
};

/* "sys_admin" or "CAP_SYS_ADMIN" -> "CAP_SYS_ADMIN", checked by libcap. */
static int add_cap(struct import_options *o, const char *arg) {
        _cleanup_free_ char *name = NULL;
        cap_value_t v;
        if (asprintf(&name, "%s%s", strncasecmp(arg, "cap_", 4) ? "CAP_" : "", arg) < 0)
                return -ENOMEM;
        for (char *c = name; *c; c++)
                *c = (char) toupper((unsigned char) *c);
        if (cap_from_name(name, &v) < 0) {
                fprintf(stderr, "sealrun import: unknown capability '%s'\n", arg);
                return -EINVAL;
        }
        char **t = realloc(o->caps, (o->n_caps + 1) * sizeof(*t));
        if (!t)
                return -ENOMEM;
        o->caps = t;
        o->caps[o->n_caps++] = TAKE_PTR(name);
        return 0;
}

static int write_output(const char *path, const char *text) {
        FILE *f = path ? fopen(path, "we") : stdout;
        if (!f)
                return negative_errno();
        bool ok = fputs(text, f) >= 0;
        ok = (path ? fclose(f) : fflush(f)) == 0 && ok;
        return ok ? 0 : -EIO;
}

static int finish(const char *what, int r, const char *text, const char *error,
                  const struct import_options *o) {
        if (r == -EINVAL) {
                fprintf(stderr, "sealrun: %s: %s\n", what, error);
                return 1;
        }
        if (r >= 0 && (r = write_output(o->output, text)) < 0) {
                fprintf(stderr, "sealrun: output '%s': %s\n", o->output ? o->output : "-", strerror(-r));
                return EXIT_LAUNCHER_FAILED;
        }
        if (r < 0) {
                fprintf(stderr, "sealrun: importing '%s': %s\n", what, strerror(-r));
                return EXIT_LAUNCHER_FAILED;
        }
        return 0;
}

static int import_docker_file(const char *path, const struct import_options *o) {
        _cleanup_free_ char *json = NULL, *text = NULL, *error = NULL;
        size_t len = 0;
        int r = policy_read_file_from_disk(NULL, path, &json, &len);
        if (r < 0) {
                fprintf(stderr, "sealrun: profile '%s': %s\n", path, strerror(-r));
                return EXIT_LAUNCHER_FAILED;
        }
        struct import_docker_options d = {
                .source_name = path,
                .caps = (const char *const *) o->caps,
                .n_caps = o->n_caps,
        };
        struct utsname u;
        memcpy(d.kernel, o->kernel, sizeof(d.kernel));
        if (!o->kernel_set && (uname(&u) < 0 || import_kernel_version_parse(u.release, d.kernel) < 0)) {
                fprintf(stderr, "sealrun: cannot read the kernel version (give --kernel)\n");
                return EXIT_LAUNCHER_FAILED;
        }
        /* Notes are prefixed like errors, so a reader sees which file. */
        _cleanup_free_ char *notes_text = NULL;
        size_t notes_size = 0;
        FILE *notes = open_memstream(&notes_text, &notes_size);
        if (!notes)
                return EXIT_LAUNCHER_FAILED;
        r = import_docker(json, len, &d, notes, &text, &error);
        fclose(notes);
        for (char *line = notes_text, *nl; line && *line; line = nl + 1) {
                nl = strchrnul(line, '\n');
                fprintf(stderr, "sealrun: %s: note: %.*s\n", path, (int) (nl - line), line);
                if (!*nl)
                        break;
        }
        return finish(path, r, text, error, o);
}

static int import_systemd_groups(char **groups, size_t n, const struct import_options *o) {
        _cleanup_free_ char *text = NULL, *error = NULL;
        int r = import_systemd((const char *const *) groups, n, stderr, &text, &error);
        return finish("import systemd", r, text, error, o);
}

/* 0 parsed, 1 --help shown, <0 usage error (printed). */
static int parse_options(int argc, char **argv, struct import_options *o) {
        static const struct option options[] = {
                {"output", required_argument, NULL, 'o'},
                {"cap", required_argument, NULL, OPT_CAP},
                {"kernel", required_argument, NULL, OPT_KERNEL},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;
        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "o:h", options, NULL)) >= 0)
                switch (c) {
                case 'o':
                        o->output = optarg;
                        break;
                case OPT_CAP:
                        if (add_cap(o, optarg) < 0)
                                return -EINVAL;
                        break;
                case OPT_KERNEL:
                        if (import_kernel_version_parse(optarg, o->kernel) < 0) {
                                fprintf(stderr,
                                        "sealrun import: --kernel: expected a version such as 6.1, not "
                                        "'%s'\n",
                                        optarg);
                                return -EINVAL;
                        }
                        o->kernel_set = true;
                        break;
                case 'h':
                        return 1;
                default:
                        fprintf(stderr,
                                "sealrun import: unknown option or missing argument: '%s' (try --help)\n",
                                argv[optind - 1]);
                        return -EINVAL;
                }
        return 0;
}

int cmd_import(int argc, char **argv) {
        struct import_options o = {};
        int status = EXIT_LAUNCHER_FAILED;
        /* Options may come before or after the operands (getopt permutes). */
        int r = parse_options(argc, argv, &o);
        if (r == 1)
                import_usage(stdout);
        if (r != 0) {
                status = r == 1 ? 0 : status;
                goto done;
        }
        const char *kind = optind < argc ? argv[optind] : "";
        int first = optind + 1, n = argc - first;
        if (!strcmp(kind, "docker") && n == 1)
                status = import_docker_file(argv[first], &o);
        else if (!strcmp(kind, "systemd") && n >= 1 && !o.n_caps && !o.kernel_set)
                status = import_systemd_groups(argv + first, (size_t) n, &o);
        else
                fprintf(stderr, "sealrun import: expected 'docker PROFILE.json' or 'systemd @GROUP...' (try "
                                "--help)\n");
done:
        strv_free(o.caps, o.n_caps);
        return status;
}
