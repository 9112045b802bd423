/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* @include: resolving paths (prefix map, './' relative to the including
 * file), reading through opts.read_file, the depth limit and loops. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "path_beside.h"
#include "file_type.h"
#include "policy_internal.h"

/* Collapses "//" and "/./" so one file is one string for loop detection.
 * ".." is kept: without the file system it cannot be resolved safely. */
static void normalize_path(char *path) {
        char *out = path;
        for (const char *in = path; *in;) {
                if (in[0] == '/' && out > path && out[-1] == '/') {
                        in++;
                        continue;
                }
                if (in[0] == '.' && in[1] == '/' && (in == path || in[-1] == '/')) {
                        in += 2;
                        continue;
                }
                *out++ = *in++;
        }
        *out = 0;
}

/* Resolves an @include path against the including file and the prefixes;
 * returns a malloc'ed path or NULL with *ret_error set to a message. */
static char *include_resolve(const struct syscall_policy *p, const char *including_file, const char *path,
                             const char **ret_error) {
        char *result = NULL;
        for (size_t i = 0; i < p->opts.n_include_prefixes; i++) {
                const char *prefix = p->prefixes[i].prefix;
                size_t n = strlen(prefix);
                while (n > 1 && prefix[n - 1] == '/')
                        n--;
                if (!strncmp(path, prefix, n) && path[n] == '/') {
                        if (asprintf(&result, "%s%s", p->prefixes[i].dir, path + n) < 0)
                                result = NULL;
                        goto done;
                }
        }
        if (path[0] == '/') {
                result = strdup(path);
        } else if (path[0] == '.' && path[1] == '/') {
                result = path_beside(including_file, path);
        } else {
                *ret_error = "implicit relative path is not supported, use an absolute path or './'";
                return NULL;
        }
done:
        if (!result) {
                *ret_error = "out of memory";
                return NULL;
        }
        normalize_path(result);
        return result;
}

int policy_read_file_from_disk(void *userdata, const char *path, char **ret_text, size_t *ret_len) {
        (void) userdata;
        /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer
         * forever, before the S_ISREG check below could refuse it. */
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return negative_errno();
        struct stat st;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        /* Policies are small; refusing huge ones keeps a typo from eating memory. */
        if (st.st_size > 16 * 1024 * 1024)
                return -EFBIG;
        size_t size = (size_t) st.st_size, len = 0;
        _cleanup_free_ char *text = malloc(size + 1);
        if (!text)
                return -ENOMEM;
        while (len < size) {
                ssize_t n = read(fd, text + len, size - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        text[len] = 0;
        *ret_text = TAKE_PTR(text);
        *ret_len = len;
        return 0;
}

int policy_include_read(const struct syscall_policy *p, const char *path, char **ret_text, size_t *ret_len) {
        if (p->opts.read_file)
                return p->opts.read_file(p->opts.read_file_userdata, path, ret_text, ret_len);
        return policy_read_file_from_disk(NULL, path, ret_text, ret_len);
}

char *policy_include_context(const struct parse_state *s) {
        if (s->depth == 0)
                return NULL;
        char *context = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&context, &size);
        if (!f)
                return NULL;
        for (size_t i = s->depth; i-- > 0;)
                fprintf(f, "%sincluded from %s:%u", i + 1 == s->depth ? "" : "\n", s->frames[i].path,
                        s->frames[i].include_line);
        if (fclose(f) != 0) {
                free(context);
                return NULL;
        }
        return context;
}

static int include_error(struct parse_state *s, const struct source_location *at, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static int include_error(struct parse_state *s, const struct source_location *at, const char *fmt, ...) {
        _cleanup_free_ char *context = policy_include_context(s);
        va_list ap;
        va_start(ap, fmt);
        diag_addv(s->d, DIAG_ERROR, at->file, at->line, at->col, at->source_line, context, fmt, ap);
        va_end(ap);
        return -EINVAL;
}

int policy_include_file(struct parse_state *s, const char *path, const struct source_location *at) {
        const char *including = s->frames[s->depth].path;
        const char *error = NULL;
        _cleanup_free_ char *resolved = include_resolve(s->p, including, path, &error);
        if (!resolved)
                return include_error(s, at, "invalid @include '%s': %s", path, error);

        for (size_t i = 0; i <= s->depth; i++)
                if (!strcmp(s->frames[i].path, resolved)) {
                        _cleanup_free_ char *chain = NULL;
                        size_t size = 0;
                        FILE *f = open_memstream(&chain, &size);
                        if (!f)
                                return -ENOMEM;
                        for (size_t k = i; k <= s->depth; k++)
                                fprintf(f, "%s -> ", s->frames[k].path);
                        fputs(resolved, f);
                        if (fclose(f) != 0)
                                return -ENOMEM;
                        return include_error(s, at, "@include loop: %s", chain);
                }
        if (s->depth + 1 > POLICY_INCLUDE_DEPTH_LIMIT)
                return include_error(s, at, "@include nested too deep (more than %d levels)",
                                     POLICY_INCLUDE_DEPTH_LIMIT);

        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r = policy_include_read(s->p, resolved, &text, &len);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return include_error(s, at, "cannot read included file '%s': %s", resolved,
                                     file_read_error_words(resolved, r));

        const char *pooled = policy_pool_strdup(s->p, resolved);
        if (!pooled)
                return -ENOMEM;
        s->depth++;
        s->frames[s->depth] = (struct include_frame){.path = pooled};
        r = policy_parse_buffer(s, pooled, 1, text, len);
        s->depth--;
        return r;
}
