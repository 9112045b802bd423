/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Policy text to logical lines (continuations joined, comments cut) and
 * tokens.  Every character keeps its physical line and column. */
#ifndef SEALRUN_POLICY_LEXER_H
#define SEALRUN_POLICY_LEXER_H

#include <stddef.h>

struct source_text {
        const char *text;
        size_t len;
        unsigned first_line; /* number of the text's first line */
        /* Optional (lexer_source_index()): where each physical line starts,
         * so quoting a line in a diagnostic or a rule's location does not
         * rescan the text from the top (that was quadratic in the lines). */
        size_t *line_starts;
        size_t n_lines;
};

/* Fills src->line_starts; -ENOMEM.  lexer_source_done() frees it. */
int lexer_source_index(struct source_text *src);
void lexer_source_done(struct source_text *src);

struct logical_line {
        char *text; /* NUL-terminated, comment removed */
        size_t len;
        unsigned *lines; /* per character (and one past the end) */
        unsigned *cols;
};

enum token_type {
        TOKEN_END,
        TOKEN_IDENT,  /* names, actions (kill-process), `in`, `return` */
        TOKEN_NUMBER, /* starts with a digit; checked by the parser */
        TOKEN_PUNCT,  /* operators and punctuation, longest match */
};

struct token {
        enum token_type type;
        const char *text; /* into the logical line, not NUL-terminated */
        size_t len;
        size_t offset; /* in the logical line */
};

/* Reads the next logical line starting at *pos.  Returns 1 with a line,
 * 0 at the end of the text, -ENOMEM. */
int lexer_next_line(const struct source_text *src, size_t *pos, unsigned *line_no, struct logical_line *ret);
void lexer_line_free(struct logical_line *l);

/* The physical line `line` of src (without newline), malloc'ed; NULL when
 * out of range or out of memory. */
char *lexer_source_line(const struct source_text *src, unsigned line);

/* Tokenizes a logical line.  Returns the number of tokens (the last is
 * TOKEN_END) or -EINVAL with *ret_bad_offset at a character that starts no
 * token, or -ENOMEM. */
int lexer_tokenize(const struct logical_line *l, struct token **ret, size_t *ret_bad_offset);

#endif
