/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

static char *strdup_or_null(const char *s) {
        return s ? strdup(s) : NULL;
}

int diag_add(struct diag *d, enum diag_severity severity, const char *file, unsigned line, unsigned col,
             const char *source_line, const char *context, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int r = diag_addv(d, severity, file, line, col, source_line, context, fmt, ap);
        va_end(ap);
        return r;
}

int diag_addv(struct diag *d, enum diag_severity severity, const char *file, unsigned line, unsigned col,
              const char *source_line, const char *context, const char *fmt, va_list ap) {
        size_t *counted = severity == DIAG_ERROR ? &d->n_errors : &d->n_warnings;
        if (++*counted > DIAG_MAX_SHOWN)
                return 0; /* counted, summarised by diag_print() */

        if (ARRAY_GROW(d->entries, d->n_allocated, d->n_entries + 1) < 0)
                return -ENOMEM;

        struct diag_entry e = {
                .severity = severity,
                .line = line,
                .col = col,
        };
        if (vasprintf(&e.message, fmt, ap) < 0)
                return -ENOMEM;
        e.file = strdup_or_null(file);
        e.source_line = strdup_or_null(source_line);
        e.context = strdup_or_null(context);
        if ((file && !e.file) || (source_line && !e.source_line) || (context && !e.context)) {
                free(e.message);
                free(e.file);
                free(e.source_line);
                free(e.context);
                return -ENOMEM;
        }
        d->entries[d->n_entries++] = e;
        return 0;
}

static void print_caret(const struct diag_entry *e, FILE *out) {
        if (!e->source_line)
                return;
        fprintf(out, "    %s\n", e->source_line);
        if (e->col == 0)
                return;
        fputs("    ", out);
        /* Keep tabs so the caret lines up under the column in any editor. */
        for (unsigned i = 1; i < e->col && e->source_line[i - 1]; i++)
                fputc(e->source_line[i - 1] == '\t' ? '\t' : ' ', out);
        fputs("^\n", out);
}

static size_t left_out(size_t counted) {
        return counted > DIAG_MAX_SHOWN ? counted - DIAG_MAX_SHOWN : 0;
}

static void print_left_out(const struct diag *d, bool errors_only, FILE *out) {
        size_t errors = left_out(d->n_errors), warnings = errors_only ? 0 : left_out(d->n_warnings);
        if (errors && warnings)
                fprintf(out, "sealrun: %zu more errors and %zu more warnings not shown\n", errors, warnings);
        else if (errors || warnings)
                fprintf(out, "sealrun: %zu more %s not shown\n", errors ? errors : warnings,
                        errors ? (errors == 1 ? "error" : "errors")
                               : (warnings == 1 ? "warning" : "warnings"));
}

static void print_entry(const struct diag_entry *e, FILE *out) {
        const char *kind = e->severity == DIAG_ERROR ? "error" : "warning";
        if (e->file && e->line && e->col)
                fprintf(out, "%s:%u:%u: %s: %s\n", e->file, e->line, e->col, kind, e->message);
        else if (e->file && e->line)
                fprintf(out, "%s:%u: %s: %s\n", e->file, e->line, kind, e->message);
        else if (e->file)
                fprintf(out, "%s: %s: %s\n", e->file, kind, e->message);
        else
                fprintf(out, "sealrun: %s: %s\n", kind, e->message);
        if (e->context) {
                const char *p = e->context;
                while (*p) {
                        size_t n = strcspn(p, "\n");
                        fprintf(out, "  %.*s\n", (int) n, p);
                        p += n + (p[n] == '\n');
                }
        }
        print_caret(e, out);
}

static void print_all(const struct diag *d, bool errors_only, FILE *out) {
        for (size_t i = 0; i < d->n_entries; i++)
                if (!errors_only || d->entries[i].severity == DIAG_ERROR)
                        print_entry(&d->entries[i], out);
        print_left_out(d, errors_only, out);
}

void diag_print(const struct diag *d, FILE *out) {
        print_all(d, false, out);
}

void diag_print_errors(const struct diag *d, FILE *out) {
        print_all(d, true, out);
}

void diag_clear(struct diag *d) {
        for (size_t i = 0; i < d->n_entries; i++) {
                free(d->entries[i].file);
                free(d->entries[i].message);
                free(d->entries[i].source_line);
                free(d->entries[i].context);
        }
        free(d->entries);
        *d = (struct diag) DIAG_INIT;
}
