/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A program name found in PATH, see path_search.h. */
#include "path_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *path_search(const char *name) {
        const char *path = getenv("PATH");
        if (!path || !*path)
                path = "/usr/local/bin:/usr/bin:/bin";
        for (const char *p = path; *p;) {
                size_t len = strcspn(p, ":");
                char *candidate;
                if (asprintf(&candidate, "%.*s/%s", (int) len, len ? p : ".", name) < 0)
                        return NULL;
                if (access(candidate, X_OK) == 0)
                        return candidate;
                free(candidate);
                p += len + (p[len] == ':');
        }
        return NULL;
}
