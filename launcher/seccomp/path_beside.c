/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "path_beside.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *path_beside(const char *file, const char *path) {
        const char *slash = file ? strrchr(file, '/') : NULL;
        if (path[0] == '/' || !slash)
                return strdup(path);
        const char *rel = strncmp(path, "./", 2) ? path : path + 2;
        char *joined;
        if (asprintf(&joined, "%.*s/%s", (int) (slash - file), file, rel) < 0)
                return NULL;
        return joined;
}
