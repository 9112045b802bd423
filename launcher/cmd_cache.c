/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sealrun cache list|clear: what the filter cache (filter_cache.h) holds,
 * and emptying it.  The directory is the one a launch by this user with
 * this environment would use. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "commands.h"
#include "filter_cache.h"

extern char **environ;

static void cache_usage(FILE *out) {
        fputs("Usage: sealrun cache list|clear\n\n"
              "The filter cache keeps each seccomp policy compiled at launch ('seccomp include'),\n"
              "so the next launch of the same policy skips the compiler.\n\n"
              "  list         one line per entry: its key, size and the policy files it was\n"
              "               compiled from (or why a launch would ignore it)\n"
              "  clear        remove every entry\n"
              "  -h, --help   show this help\n\n"
              "The directory: $XDG_CACHE_HOME/sealrun, else /var/cache/sealrun for root, else\n"
              "~/.cache/sealrun.  See sealrun(1).\n",
              out);
}

static int cache_list(const char *dir) {
        int n = filter_cache_list(dir, stdout);
        if (n == -ENOENT || n == 0) {
                printf("no entries in %s\n", dir);
                return 0;
        }
        if (n < 0) {
                fprintf(stderr, "sealrun: filter cache '%s': %s\n", dir, strerror(-n));
                return EXIT_LAUNCHER_FAILED;
        }
        return 0;
}

static int cache_clear(const char *dir) {
        int n = filter_cache_clear(dir);
        if (n == -ENOENT)
                n = 0;
        if (n < 0) {
                fprintf(stderr, "sealrun: filter cache '%s': %s\n", dir, strerror(-n));
                return EXIT_LAUNCHER_FAILED;
        }
        printf("removed %d entr%s from %s\n", n, n == 1 ? "y" : "ies", dir);
        return 0;
}

int cmd_cache(int argc, char **argv) {
        if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
                cache_usage(stdout);
                return 0;
        }
        if (argc != 2 || (strcmp(argv[1], "list") && strcmp(argv[1], "clear"))) {
                fprintf(stderr, "sealrun: cache: expected 'list' or 'clear' (try 'sealrun cache --help')\n");
                return EXIT_LAUNCHER_FAILED;
        }
        _cleanup_free_ char *dir = NULL;
        if (filter_cache_dir(environ, geteuid(), &dir) < 0) {
                fprintf(stderr, "sealrun: cache: %s\n", strerror(ENOMEM));
                return EXIT_LAUNCHER_FAILED;
        }
        if (!dir) {
                fprintf(stderr, "sealrun: cache: no cache directory: neither XDG_CACHE_HOME nor HOME is an "
                                "absolute path\n");
                return EXIT_LAUNCHER_FAILED;
        }
        return !strcmp(argv[1], "list") ? cache_list(dir) : cache_clear(dir);
}
