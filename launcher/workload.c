/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The workload data model: freeing, whole-workload checks and the small pure
 * value parsers (sizes, seals, rlimit names) shared by the file parser, the
 * command line and the dry-run printer. */
#include "workload.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sealfd.h"

void workload_free(struct workload *w) {
        free(w->program);
        for (size_t i = 0; i < w->n_argv; i++)
                free(w->argv[i]);
        free(w->argv);
        for (size_t i = 0; i < w->n_inputs; i++)
                free(w->inputs[i].name);
        free(w->inputs);
        for (size_t i = 0; i < w->n_env; i++) {
                free(w->env[i].name);
                free(w->env[i].value);
        }
        free(w->env);
        free(w->cwd);
        free(w->rlimits);
        for (size_t i = 0; i < w->n_seccomp; i++) {
                free(w->seccomp[i].file);
                free(w->seccomp[i].text);
        }
        free(w->seccomp);
        free(w->seccomp_compiled);
        free(w->seccomp_compiled_from);
        *w = (struct workload) WORKLOAD_INIT;
}

/* "64", "64K", "64KiB", "1M", "1G": binary multiples, as people write them. */
int parse_size(const char *s, uint64_t *ret) {
        if (!s || *s < '0' || *s > '9')
                return -EINVAL;
        errno = 0;
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno)
                return -ERANGE;
        static const struct {
                const char *suffix;
                unsigned shift;
        } suffixes[] = {
                {"", 0},   {"K", 10},   {"KiB", 10}, {"M", 20},   {"MiB", 20},
                {"G", 30}, {"GiB", 30}, {"T", 40},   {"TiB", 40},
        };
        for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
                if (strcmp(end, suffixes[i].suffix))
                        continue;
                if (suffixes[i].shift && v > (UINT64_MAX >> suffixes[i].shift))
                        return -ERANGE;
                *ret = (uint64_t) v << suffixes[i].shift;
                return 0;
        }
        return -EINVAL;
}

void format_size(uint64_t size, char *buf, size_t n) {
        static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        unsigned u = 0;
        while (u < 4 && size >= 1024 && size % 1024 == 0) {
                size /= 1024;
                u++;
        }
        snprintf(buf, n, "%" PRIu64 " %s", size, units[u]);
}

static const struct {
        const char *name;
        uint32_t bit;
} seal_names[] = {
        {"write", SEALFD_SEAL_WRITE}, {"shrink", SEALFD_SEAL_SHRINK},
        {"grow", SEALFD_SEAL_GROW},   {"seal", SEALFD_SEAL_SEAL},
        {"exec", SEALFD_SEAL_EXEC},   {"future-write", SEALFD_SEAL_FUTURE_WRITE},
};

/* "write,shrink,grow,seal,exec".  The four that make an input immutable
 * are mandatory: an input the target could change is not an input. */
int parse_seals(const char *s, uint32_t *ret) {
        uint32_t seals = 0;
        while (*s) {
                size_t len = strcspn(s, ",");
                size_t i;
                for (i = 0; i < sizeof(seal_names) / sizeof(seal_names[0]); i++)
                        if (strlen(seal_names[i].name) == len && !strncmp(s, seal_names[i].name, len))
                                break;
                if (i == sizeof(seal_names) / sizeof(seal_names[0]))
                        return -EINVAL;
                seals |= seal_names[i].bit;
                s += len + (s[len] == ',');
        }
        if ((seals & SEALFD_SEALS_IMMUTABLE) != SEALFD_SEALS_IMMUTABLE)
                return -EPERM;
        *ret = seals;
        return 0;
}

void format_seals(uint32_t seals, char *buf, size_t n) {
        size_t used = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < sizeof(seal_names) / sizeof(seal_names[0]); i++) {
                if (!(seals & seal_names[i].bit))
                        continue;
                int r = snprintf(buf + used, n - used, "%s%s", used ? "," : "", seal_names[i].name);
                if (r < 0 || (size_t) r >= n - used)
                        return;
                used += (size_t) r;
        }
}

static const struct {
        const char *name;
        int resource;
} rlimit_names[] = {
        {"as", RLIMIT_AS},           {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
        {"data", RLIMIT_DATA},       {"fsize", RLIMIT_FSIZE},       {"locks", RLIMIT_LOCKS},
        {"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
        {"nofile", RLIMIT_NOFILE},   {"nproc", RLIMIT_NPROC},       {"rss", RLIMIT_RSS},
        {"rtprio", RLIMIT_RTPRIO},   {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
        {"stack", RLIMIT_STACK},
};

const char *rlimit_name(int resource) {
        for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
                if (rlimit_names[i].resource == resource)
                        return rlimit_names[i].name;
        return "?";
}

int rlimit_from_name(const char *name) {
        for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
                if (!strcmp(rlimit_names[i].name, name))
                        return rlimit_names[i].resource;
        return -EINVAL;
}

static int validate_fds(const struct workload *w, const char *file, struct diag *d) {
        int r = 0;
        for (size_t i = 0; i < w->n_inputs; i++)
                for (size_t j = 0; j < i; j++)
                        if (w->inputs[i].fd >= 0 && w->inputs[i].fd == w->inputs[j].fd) {
                                diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL,
                                         "inputs '%s' and '%s' both want fd %d", w->inputs[j].name,
                                         w->inputs[i].name, w->inputs[i].fd);
                                r = -EINVAL;
                        }
        if (!w->listen_fds)
                return r;
        /* sd_listen_fds() counts from SD_LISTEN_FDS_START (3) without gaps. */
        for (size_t i = 0; i < w->n_inputs; i++)
                if (w->inputs[i].fd >= 0 && w->inputs[i].fd != (int) (3 + i)) {
                        diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL,
                                 "listen-fds needs the inputs at fds 3, 4, ... in order, but input '%s' "
                                 "wants fd %d",
                                 w->inputs[i].name, w->inputs[i].fd);
                        r = -EINVAL;
                }
        return r;
}

int workload_validate(const struct workload *w, const char *file, struct diag *d) {
        int r = 0;
        if (!w->program) {
                diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL, "no program: expected a 'program PATH' line");
                r = -EINVAL;
        }
        if (w->has_sha256 && w->exec_mode != EXEC_MODE_SEALED) {
                diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL, "a sha256 pin needs 'exec sealed'");
                r = -EINVAL;
        }
        /* A compiled filter is the whole policy, default action included:
         * rules beside it would silently not apply. */
        if (w->seccomp_compiled && (w->n_seccomp > 0 || w->default_action_set)) {
                diag_add(d, DIAG_ERROR, file, 0, 0, NULL, NULL,
                         "'seccomp compiled' is the whole filter: it cannot be combined with 'seccomp "
                         "include', "
                         "'seccomp default' or a [seccomp] section");
                r = -EINVAL;
        }
        int k = validate_fds(w, file, d);
        return r < 0 ? r : k;
}
