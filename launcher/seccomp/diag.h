/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Diagnostics for every file the launcher reads (workload files and the
 * seccomp policies they include).  Parsers add entries and never print; the
 * command prints them, gcc style, so editors and CI jump to the place:
 *
 *     jq.workload:12:7: error: expected a number after 'fd='
 *       included from main.workload:3
 *         input data fd=x
 *               ^
 */
#ifndef SEALRUN_DIAG_H
#define SEALRUN_DIAG_H

#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>

enum diag_severity {
        DIAG_ERROR,
        DIAG_WARNING,
};

struct diag_entry {
        enum diag_severity severity;
        char *file;         /* may be NULL for errors without a place */
        unsigned line, col; /* 1-based; 0 when unknown */
        char *message;
        char *source_line; /* the offending line, for the caret; may be NULL */
        char *context;     /* "included from a:3\nincluded from b:1", or NULL */
};

struct diag {
        struct diag_entry *entries;
        size_t n_entries, n_allocated;
        size_t n_errors, n_warnings;
};

#define DIAG_INIT                                                                                            \
        { 0 }

/* At most this many entries of each severity are kept and printed; the
 * rest are counted, and diag_print() ends with one line saying how many
 * were left out (100,000 duplicate rules must not print 300,000 lines). */
#define DIAG_MAX_SHOWN 20

/* Add an entry.  Every string is copied.  Returns 0 or -ENOMEM (the entry is
 * then lost but n_errors is still counted, so failure is never hidden). */
int diag_add(struct diag *d, enum diag_severity severity, const char *file, unsigned line, unsigned col,
             const char *source_line, const char *context, const char *fmt, ...)
        __attribute__((format(printf, 8, 9)));

/* Prints every kept entry, then one summary line for those left out. */
/* The same with a va_list, for callers with a printf-like interface. */
int diag_addv(struct diag *d, enum diag_severity severity, const char *file, unsigned line, unsigned col,
              const char *source_line, const char *context, const char *fmt, va_list ap)
        __attribute__((format(printf, 8, 0)));

void diag_print(const struct diag *d, FILE *out);
/* The same for the errors alone (check --quiet). */
void diag_print_errors(const struct diag *d, FILE *out);
void diag_clear(struct diag *d);

#endif
