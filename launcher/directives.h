/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the directive files (directives.c, directives_confine.c) share: one
 * split line being applied, and how it reports an error at a word. */
#ifndef SEALRUN_DIRECTIVES_H
#define SEALRUN_DIRECTIVES_H

#include <stddef.h>

#include "workload.h"

struct line {
        struct workload *w;
        const struct workload_word *words;
        size_t n;
        const struct workload_place *place;
        struct diag *d;
};

/* An error at words[word] (past the end: the end of the line); -EINVAL. */
int directive_fail_at(const struct line *l, size_t word, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Between min and max words after the directive, else an error naming what. */
int directive_expect_args(const struct line *l, size_t min, size_t max, const char *what);

int directive_landlock(const struct line *l);
int directive_user(const struct line *l);
int directive_group(const struct line *l);
int directive_groups(const struct line *l);

#endif
