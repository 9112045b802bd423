/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Resource limits by name ("nofile", "as", ...), both ways. */
#include "rlimit_name.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

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
