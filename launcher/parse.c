/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pipeline stage 1, parse: workload file text -> struct workload.  Pure: the
 * only I/O is reading @included files, through a callback (disk by default).
 *
 *   file    = { line } [ "[seccomp]" NL policy-text ]
 *   line    = [ directive | "@include" PATH ] [ "#" comment ] NL
 *   directive = KEY { WORD }          (see workload_apply_words)
 *   WORD    = bare | '"' { char | '\"' | '\\' } '"' | "'" { char } "'"
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "path_beside.h"
#include "file_type.h"
#include "workload.h"

#define MAX_INCLUDE_DEPTH 8
#define MAX_WORDS 256

struct parse_ctx {
        struct workload *w;
        policy_read_file_fn read_file;
        void *userdata;
        struct diag *d;
        unsigned depth;
        /* files[0..depth]: the chain of files being read, for loops */
        const char *files[MAX_INCLUDE_DEPTH + 1];
};

/* Split one line into words in place of a scratch copy.  Returns the number
 * of words, or -EINVAL with *ret_bad_col set at the offending character. */
static int split_words(char *line, struct workload_word *words, size_t max, unsigned *ret_bad_col) {
        size_t n = 0;
        char *p = line;
        for (;;) {
                while (*p == ' ' || *p == '\t')
                        p++;
                if (*p == '\0' || *p == '#')
                        return (int) n;
                if (n == max) {
                        *ret_bad_col = (unsigned) (p - line) + 1;
                        return -E2BIG;
                }
                unsigned col = (unsigned) (p - line) + 1;
                char *out = p, *start = p;
                while (*p && *p != ' ' && *p != '\t') {
                        if (*p != '"' && *p != '\'') {
                                *out++ = *p++;
                                continue;
                        }
                        char quote = *p++;
                        unsigned open_col = (unsigned) (p - line);
                        while (*p && *p != quote) {
                                if (quote == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
                                        p++;
                                *out++ = *p++;
                        }
                        if (!*p) {
                                *ret_bad_col = open_col;
                                return -EINVAL;
                        }
                        p++;
                }
                int end = *p != '\0';
                *out = '\0';
                words[n++] = (struct workload_word){.text = start, .col = col};
                if (!end)
                        return (int) n;
                p++;
        }
}

static int parse_text(struct parse_ctx *c, const char *filename, const char *text, size_t len,
                      const char *context);

/* Two names of one file: the same text, or (on disk) the same real path. */
static bool same_file(const char *a, const char *b) {
        if (!strcmp(a, b))
                return true;
        _cleanup_free_ char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
        return ra && rb && !strcmp(ra, rb);
}

/* "a -> b -> a" when path is already in the chain (malloc'ed), else NULL
 * with *ret_oom false. */
static char *include_loop(const struct parse_ctx *c, const char *path, bool *ret_oom) {
        *ret_oom = false;
        for (unsigned i = 0; i <= c->depth; i++) {
                if (!same_file(c->files[i], path))
                        continue;
                char *chain = NULL;
                size_t size = 0;
                FILE *f = open_memstream(&chain, &size);
                if (!f) {
                        *ret_oom = true;
                        return NULL;
                }
                for (unsigned k = i; k <= c->depth; k++)
                        fprintf(f, "%s -> ", c->files[k]);
                fputs(c->files[i], f); /* closed with the name it was first read by */
                if (fclose(f) != 0) {
                        free(chain);
                        *ret_oom = true;
                        return NULL;
                }
                return chain;
        }
        return NULL;
}

static int parse_include(struct parse_ctx *c, const char *filename, unsigned line_no, const char *line,
                         const struct workload_word *arg, const char *context) {
        _cleanup_free_ char *path = path_beside(filename, arg->text);
        if (!path)
                return -ENOMEM;
        bool oom;
        _cleanup_free_ char *loop = include_loop(c, path, &oom);
        if (oom)
                return -ENOMEM;
        if (loop) {
                diag_add(c->d, DIAG_ERROR, filename, line_no, arg->col, line, context, "@include loop: %s",
                         loop);
                return -EINVAL;
        }
        if (c->depth >= MAX_INCLUDE_DEPTH) {
                diag_add(c->d, DIAG_ERROR, filename, line_no, arg->col, line, context,
                         "expected at most %d nested @include levels", MAX_INCLUDE_DEPTH);
                return -EINVAL;
        }
        _cleanup_free_ char *text = NULL;
        size_t text_len = 0;
        int r = c->read_file(c->userdata, path, &text, &text_len);
        if (r < 0) {
                diag_add(c->d, DIAG_ERROR, filename, line_no, arg->col, line, context,
                         "cannot read included file '%s': %s", path, file_read_error_words(path, r));
                return -EINVAL;
        }
        _cleanup_free_ char *inner_context = NULL;
        if (asprintf(&inner_context, "included from %s:%u%s%s", filename, line_no, context ? "\n" : "",
                     context ? context : "") < 0)
                return -ENOMEM;
        c->files[++c->depth] = path;
        r = parse_text(c, path, text, text_len, inner_context);
        c->depth--;
        return r;
}

static int add_inline_seccomp(struct parse_ctx *c, const char *filename, unsigned first_line,
                              const char *text, size_t len) {
        struct workload *w = c->w;
        struct seccomp_source *v = realloc(w->seccomp, (w->n_seccomp + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        w->seccomp = v;
        struct seccomp_source s = {.file = strdup(filename),
                                   .text = strndup(text, len),
                                   .text_len = len,
                                   .first_line = first_line};
        if (!s.file || !s.text) {
                free(s.file);
                free(s.text);
                return -ENOMEM;
        }
        w->seccomp[w->n_seccomp++] = s;
        return 0;
}

static bool is_section_header(const char *line) {
        while (*line == ' ' || *line == '\t')
                line++;
        if (strncmp(line, "[seccomp]", 9))
                return false;
        line += 9;
        while (*line == ' ' || *line == '\t')
                line++;
        return *line == '\0' || *line == '#';
}

static int parse_line(struct parse_ctx *c, const char *filename, unsigned line_no, const char *line,
                      const char *context) {
        _cleanup_free_ char *scratch = strdup(line);
        if (!scratch)
                return -ENOMEM;
        struct workload_word words[MAX_WORDS];
        unsigned bad_col = 0;
        int n = split_words(scratch, words, MAX_WORDS, &bad_col);
        if (n == -E2BIG) {
                diag_add(c->d, DIAG_ERROR, filename, line_no, bad_col, line, context,
                         "expected at most %d words on a line", MAX_WORDS);
                return -EINVAL;
        }
        if (n < 0) {
                diag_add(c->d, DIAG_ERROR, filename, line_no, bad_col, line, context,
                         "expected a closing quote for the quote opened here");
                return -EINVAL;
        }
        if (n == 0)
                return 0;
        if (!strcmp(words[0].text, "@include")) {
                if (n != 2) {
                        diag_add(c->d, DIAG_ERROR, filename, line_no,
                                 n < 2 ? (unsigned) strlen(line) + 1 : words[2].col, line, context,
                                 "expected exactly one file name after '@include'");
                        return -EINVAL;
                }
                return parse_include(c, filename, line_no, line, &words[1], context);
        }
        struct workload_place place = {
                .file = filename, .line = line_no, .source_line = line, .context = context};
        return workload_apply_words(c->w, words, (size_t) n, &place, c->d);
}

static int parse_text(struct parse_ctx *c, const char *filename, const char *text, size_t len,
                      const char *context) {
        if (memchr(text, '\0', len)) {
                diag_add(c->d, DIAG_ERROR, filename, 0, 0, NULL, context,
                         "expected a text file, found a NUL byte");
                return -EINVAL;
        }
        int result = 0;
        unsigned line_no = 0;
        size_t pos = 0;
        while (pos < len) {
                size_t eol = pos;
                while (eol < len && text[eol] != '\n')
                        eol++;
                line_no++;
                _cleanup_free_ char *line = strndup(text + pos, eol - pos);
                if (!line)
                        return -ENOMEM;
                size_t l = strlen(line);
                if (l && line[l - 1] == '\r')
                        line[l - 1] = '\0';
                pos = eol + (eol < len);
                if (is_section_header(line))
                        return add_inline_seccomp(c, filename, line_no + 1, text + pos, len - pos) < 0
                                       ? -ENOMEM
                                       : result;
                int r = parse_line(c, filename, line_no, line, context);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        result = r; /* keep going: report every error in one run */
        }
        return result;
}

int workload_parse_text(struct workload *w, const char *filename, const char *text, size_t len,
                        policy_read_file_fn read_file, void *userdata, struct diag *d) {
        struct parse_ctx c = {
                .w = w,
                .read_file = read_file ? read_file : policy_read_file_from_disk,
                .userdata = userdata,
                .d = d,
                .files = {filename},
        };
        return parse_text(&c, filename, text, len, NULL);
}

int workload_parse_file(struct workload *w, const char *path, policy_read_file_fn read_file, void *userdata,
                        struct diag *d) {
        policy_read_file_fn rf = read_file ? read_file : policy_read_file_from_disk;
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r = rf(userdata, path, &text, &len);
        if (r < 0) {
                diag_add(d, DIAG_ERROR, path, 0, 0, NULL, NULL, "cannot read workload file: %s",
                         file_read_error_words(path, r));
                return r;
        }
        if (!w->file && !(w->file = strdup(path)))
                return -ENOMEM;
        return workload_parse_text(w, path, text, len, read_file, userdata, d);
}
