/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A learn record as policy text, see learn_policy.h. */
#include "learn_policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "constants.h"
#include "syscall_decode.h"

/* Text in a comment, control characters as \xNN: a newline in a path
 * or a file name would end the comment and start a statement. */
static void put_comment_text(FILE *out, const char *text) {
        for (const unsigned char *c = (const unsigned char *) text; *c; c++)
                if (*c < 0x20 || *c == 0x7f)
                        fprintf(out, "\\x%02x", *c);
                else
                        fputc(*c, out);
}

static void write_value(FILE *out, const struct learn_syscall *c, unsigned arg, uint64_t value) {
        const struct syscall_signature *s = syscall_signature_find(c->name);
        char text[POLICY_FLAG_NAMES_MAX * 32];
        syscall_arg_format(s ? s->kind[arg] : ARG_HEX, value, text, sizeof(text));
        fputs(text, out);
}

/* argA == X && argB == Y || ...: every tuple seen. */
static void write_exact(FILE *out, const struct learn_syscall *c) {
        for (size_t i = 0; i < c->n_values; i++) {
                fputs(i ? " || " : "", out);
                for (unsigned k = 0; k < c->n_exact; k++) {
                        fprintf(out, "%sarg%u == ", k ? " && " : "", c->exact_arg[k]);
                        write_value(out, c, c->exact_arg[k], c->values[i][k]);
                }
        }
}

int learn_statement_write(FILE *out, const struct learn_syscall *c) {
        fprintf(out, "%s: ", c->name);
        if (c->n_exact && c->n_values && !c->too_many_values)
                write_exact(out, c);
        else if (c->open_flags_arg >= 0 && !c->open_writes && !c->open_flags_seen)
                fprintf(out, "arg%d == O_RDONLY", c->open_flags_arg);
        else if (c->open_flags_arg >= 0 && !c->open_writes) {
                fprintf(out, "arg%d in ", c->open_flags_arg);
                write_value(out, c, (unsigned) c->open_flags_arg, c->open_flags_seen);
        } else if (c->prot_arg >= 0 && !c->write_and_exec)
                fprintf(out, "arg%d in ~PROT_EXEC || arg%d in ~PROT_WRITE", c->prot_arg, c->prot_arg);
        else
                fputs("1", out);
        return ferror(out) ? -EIO : 0;
}

static void write_comment(FILE *out, const struct learn_syscall *c, const struct learn_run *run) {
        if (c->implied) {
                fputs("  # never seen: sealrun's own filter allows it; here for use without sealrun\n", out);
                return;
        }
        fprintf(out, "  # run %u: %llu call%s", run->number, (unsigned long long) c->calls,
                c->calls == 1 ? "" : "s");
        if (c->n_exact && c->too_many_values)
                fprintf(out, ", more than %d different arguments: any allowed", LEARN_VALUES_MAX);
        if (c->open_flags_arg >= 0 && !c->open_writes)
                fputs(", read-only opens only", out);
        if (c->prot_arg >= 0 && !c->write_and_exec)
                fputs(", never writable and executable at once", out);
        if (run->exec_by_path && !strcmp(c->name, "execve")) {
                fputs(c->calls == 1 ? " (sealrun's own exec of " : ", one of them sealrun's own exec of ",
                      out);
                put_comment_text(out, run->program);
                fputs(c->calls == 1 ? ")" : "", out);
        }
        fputc('\n', out);
}

int learn_line_write(FILE *out, const struct learn_syscall *c, const struct learn_run *run) {
        /* Listed as a comment, never as a statement the compiler would refuse. */
        if (learn_syscall_nameless(c)) {
                fprintf(out, "# %s: no name for it in this build's tables; not allowed", c->name);
                write_comment(out, c, run);
                return ferror(out) ? -EIO : 0;
        }
        int r = learn_statement_write(out, c);
        if (r >= 0)
                write_comment(out, c, run);
        return ferror(out) ? -EIO : r;
}

static void write_run_header(FILE *out, const struct learn_run *run) {
        fprintf(out, "# run %u, %s, sealrun %s, Linux ", run->number, run->date, SEALRUN_VERSION);
        put_comment_text(out, run->kernel);
        fputs(": ", out);
        put_comment_text(out, run->program);
        fprintf(out, " %s\n#   ", run->outcome);
        put_comment_text(out, run->command);
        fputc('\n', out);
}

static int write_lines(FILE *out, const struct learn_record *r, const struct learn_run *run) {
        for (size_t i = 0; i < r->n_syscalls; i++) {
                int k = learn_line_write(out, &r->syscalls[i], run);
                if (k < 0)
                        return k;
        }
        return 0;
}

int learn_policy_write(FILE *out, const char *name, const struct learn_record *r,
                       const struct learn_run *run) {
        fputs("# ", out);
        put_comment_text(out, name);
        fputs(": seccomp rules for ", out);
        put_comment_text(out, run->program);
        fputs(", learned by sealrun learn from real runs.\n", out);
        fprintf(out, "# Every statement is a call the runs made: review each one before use and\n"
                     "# remove what the program should not need.  Learning is not enforcement\n"
                     "# (sealrun(1), LEARN); the filter this policy compiles to is.\n"
                     "#\n");
        write_run_header(out, run);
        fprintf(out, "#   %zu syscalls, %llu calls\n\n@default kill-process\n\n", learn_record_seen(r),
                (unsigned long long) r->calls);
        return write_lines(out, r, run);
}

int learn_merge_block_write(FILE *out, const struct learn_record *r, const struct learn_run *run) {
        fputc('\n', out);
        write_run_header(out, run);
        fprintf(out, "#   added by run %u: %zu statement%s (%llu call%s the policy did not allow)\n",
                run->number, learn_record_statements(r), learn_record_statements(r) == 1 ? "" : "s",
                (unsigned long long) r->calls, r->calls == 1 ? "" : "s");
        return write_lines(out, r, run);
}

unsigned learn_last_run(const char *text) {
        unsigned last = 0;
        for (const char *line = text; line && *line;
             line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
                if (strncmp(line, "# run ", 6))
                        continue;
                char *end;
                unsigned long n = strtoul(line + 6, &end, 10);
                if (end != line + 6 && *end == ',' && n > last && n < 1000000)
                        last = (unsigned) n;
        }
        return last;
}
