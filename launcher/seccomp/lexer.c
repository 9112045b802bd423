/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logical lines and tokens of minijail's policy language. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "lexer.h"

void lexer_line_free(struct logical_line *l) {
        free(l->text);
        free(l->lines);
        free(l->cols);
        *l = (struct logical_line){};
}

static int line_reserve(struct logical_line *l, size_t *allocated, size_t n) {
        char *t = realloc(l->text, n);
        if (!t)
                return -ENOMEM;
        l->text = t;
        unsigned *ls = realloc(l->lines, n * sizeof(unsigned));
        if (!ls)
                return -ENOMEM;
        l->lines = ls;
        unsigned *cs = realloc(l->cols, n * sizeof(unsigned));
        if (!cs)
                return -ENOMEM;
        l->cols = cs;
        *allocated = n;
        return 0;
}

static int line_push(struct logical_line *l, size_t *allocated, char c, unsigned line, unsigned col) {
        if (l->len + 2 > *allocated) {
                int r = line_reserve(l, allocated, *allocated ? *allocated * 2 : 128);
                if (r < 0)
                        return r;
        }
        l->text[l->len] = c;
        l->lines[l->len] = line;
        l->cols[l->len] = col;
        l->len++;
        return 0;
}

/* An upper bound of the characters of the logical line starting at pos:
 * the distance to the first newline that no `\` continues.  Reserving it
 * at once replaces the 3 reallocs per doubling of line_push. */
static size_t logical_line_bound(const struct source_text *src, size_t pos) {
        size_t i = pos;
        for (;;) {
                const char *nl = memchr(src->text + i, '\n', src->len - i);
                if (!nl)
                        return src->len - pos;
                size_t at = (size_t) (nl - src->text);
                bool continued = (at > pos && src->text[at - 1] == '\\') ||
                                 (at > pos + 1 && src->text[at - 1] == '\r' && src->text[at - 2] == '\\');
                if (!continued)
                        return at - pos;
                i = at + 1;
        }
}

/* A `\` right before the end of a physical line joins the next one, even in
 * the middle of a token (minijail's own tests split `in` that way).  A `#`
 * starts a comment to the end of the logical line. */
int lexer_next_line(const struct source_text *src, size_t *pos, unsigned *line_no, struct logical_line *ret) {
        if (*pos >= src->len)
                return 0;
        struct logical_line l = {};
        size_t allocated = 0;
        unsigned col = 1;
        int r = line_reserve(&l, &allocated, logical_line_bound(src, *pos) + 2);
        if (r < 0)
                goto fail;
        bool in_comment = false;
        size_t i = *pos;
        unsigned end_line = *line_no;
        for (; i < src->len; i++) {
                char c = src->text[i];
                end_line = *line_no;
                if (in_comment) {
                        /* Nothing of a comment is kept: skip to its physical
                         * line's end, or to a `\` that continues it. */
                        const char *nl = memchr(src->text + i, '\n', src->len - i);
                        size_t at = nl ? (size_t) (nl - src->text) : src->len;
                        if (at > i && src->text[at - 1] == '\\')
                                at--;
                        else if (at > i + 1 && src->text[at - 1] == '\r' && src->text[at - 2] == '\\')
                                at -= 2;
                        if (at > i) {
                                i = at - 1;
                                continue;
                        }
                }
                if (c == '\n') {
                        i++;
                        (*line_no)++;
                        break;
                }
                if (c == '\\' && i + 2 < src->len && src->text[i + 1] == '\r' && src->text[i + 2] == '\n')
                        i++; /* CRLF files continue lines too */
                if (c == '\\' && (i + 1 == src->len || src->text[i + 1] == '\n')) {
                        i++;
                        (*line_no)++;
                        col = 1;
                        continue;
                }
                if (c == '#')
                        in_comment = true;
                if (!in_comment && l.len + 2 <= allocated) {
                        /* Within the reserved bound: no call per character. */
                        l.text[l.len] = c == '\r' ? ' ' : c;
                        l.lines[l.len] = *line_no;
                        l.cols[l.len++] = col;
                } else if (!in_comment &&
                           (r = line_push(&l, &allocated, c == '\r' ? ' ' : c, *line_no, col)) < 0)
                        goto fail;
                col++;
        }
        /* The end position points after the last character, for "expected
         * ... at the end of the line" errors. */
        if ((r = line_push(&l, &allocated, 0, l.len ? l.lines[l.len - 1] : end_line,
                           l.len ? l.cols[l.len - 1] + 1 : 1)) < 0)
                goto fail;
        l.len--;
        *pos = i;
        *ret = l;
        return 1;
fail:
        lexer_line_free(&l);
        return r;
}

int lexer_source_index(struct source_text *src) {
        size_t n = 1;
        for (const char *p = src->text, *end = src->text + src->len;
             (p = memchr(p, '\n', (size_t) (end - p))); p++)
                n++;
        size_t *starts = malloc(n * sizeof(*starts));
        if (!starts)
                return -ENOMEM;
        starts[0] = 0;
        size_t k = 1;
        for (const char *p = src->text, *end = src->text + src->len;
             (p = memchr(p, '\n', (size_t) (end - p))); p++)
                starts[k++] = (size_t) (p - src->text) + 1;
        src->line_starts = starts;
        src->n_lines = n;
        return 0;
}

void lexer_source_done(struct source_text *src) {
        free(src->line_starts);
        src->line_starts = NULL;
        src->n_lines = 0;
}

char *lexer_source_line(const struct source_text *src, unsigned line) {
        if (line < src->first_line)
                return NULL;
        size_t i = 0;
        if (src->line_starts) {
                if (line - src->first_line >= src->n_lines)
                        return NULL;
                i = src->line_starts[line - src->first_line];
        } else
                for (unsigned n = src->first_line; n < line; n++) {
                        const char *nl = memchr(src->text + i, '\n', src->len - i);
                        if (!nl)
                                return NULL;
                        i = (size_t) (nl - src->text) + 1;
                }
        const char *nl = memchr(src->text + i, '\n', src->len - i);
        size_t end = nl ? (size_t) (nl - src->text) : src->len;
        return strndup(src->text + i, end - i);
}

static bool is_ident_start(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c) {
        return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Operators and punctuation, longest match: the two-character ones first. */
static const char *const puncts2[] = {"==", "!=", "<=", ">=", "&&", "||"};
static const char puncts1[] = "<>&|~(){},:;[]=@-/.!";

static size_t punct_length(const char *s) {
        if (*s == 0)
                return 0; /* strchr would find the terminator */
        for (size_t i = 0; i < sizeof(puncts2) / sizeof(puncts2[0]); i++)
                if (s[0] == puncts2[i][0] && s[1] == puncts2[i][1])
                        return 2;
        return strchr(puncts1, *s) ? 1 : 0;
}

static size_t token_length(const char *s, enum token_type *ret_type) {
        if (is_ident_start(*s)) {
                size_t n = 1;
                for (;;) {
                        while (is_ident_char(s[n]))
                                n++;
                        /* Action names such as kill-process and user-notify. */
                        if (s[n] == '-' && is_ident_start(s[n + 1]))
                                n++;
                        else
                                break;
                }
                *ret_type = TOKEN_IDENT;
                return n;
        }
        if (*s >= '0' && *s <= '9') {
                size_t n = 1;
                while (is_ident_char(s[n]))
                        n++;
                *ret_type = TOKEN_NUMBER;
                return n;
        }
        size_t n = punct_length(s);
        if (n)
                *ret_type = TOKEN_PUNCT;
        return n;
}

int lexer_tokenize(const struct logical_line *l, struct token **ret, size_t *ret_bad_offset) {
        struct token *v = NULL;
        size_t n = 0, allocated = 0;
        size_t i = 0;
        for (;;) {
                while (i < l->len && (l->text[i] == ' ' || l->text[i] == '\t' || l->text[i] == '\r' ||
                                      l->text[i] == '\v' || l->text[i] == '\f'))
                        i++;
                if (ARRAY_GROW(v, allocated, n + 1) < 0) {
                        free(v);
                        return -ENOMEM;
                }
                if (i >= l->len) {
                        v[n++] =
                                (struct token){.type = TOKEN_END, .text = l->text + l->len, .offset = l->len};
                        break;
                }
                enum token_type type = TOKEN_END;
                size_t len = token_length(l->text + i, &type);
                if (len == 0) {
                        free(v);
                        *ret_bad_offset = i;
                        return -EINVAL;
                }
                v[n++] = (struct token){.type = type, .text = l->text + i, .len = len, .offset = i};
                i += len;
        }
        *ret = v;
        return (int) n;
}
