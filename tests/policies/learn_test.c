/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "learn_test.h"

#define MAX_ARGS 32

static void collect_args(char *argv[MAX_ARGS], size_t first, va_list ap) {
        size_t n = first;
        const char *a;
        while ((a = va_arg(ap, const char *))) {
                assert_true(n < MAX_ARGS - 1);
                argv[n++] = (char *) a;
        }
        argv[n] = NULL;
}

void run_sealrun(struct policy_test *t, struct run_result *r, ...) {
        char *argv[MAX_ARGS] = {t->sealrun};
        va_list ap;
        va_start(ap, r);
        collect_args(argv, 1, ap);
        va_end(ap);
        run_capture(argv, t->dir, r);
}

void run_sealrun_status(struct policy_test *t, struct run_result *r, const char *status_path, ...) {
        /* sh -c 'exec 3>"$0"; shift; exec "$@"' STATUS SEALRUN ARGS... */
        char *argv[MAX_ARGS] = {"/bin/sh", "-c", "exec 3>\"$0\" && exec \"$@\"", (char *) status_path,
                                t->sealrun};
        va_list ap;
        va_start(ap, status_path);
        collect_args(argv, 5, ap);
        va_end(ap);
        run_capture(argv, t->dir, r);
}

static bool user_notification_available(void) {
        uint32_t action = SECCOMP_RET_USER_NOTIF;
        return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

bool need_learn(struct policy_test *t) {
        if (!need_sealrun(t))
                return false;
        if (!user_notification_available()) {
                printf("SKIP: seccomp user notification is not available in this kernel (Linux 5.5 or "
                       "later)\n");
                return false;
        }
        struct run_result r;
        run_sealrun(t, &r, "learn", NULL);
        bool unknown = strstr(r.err, "unknown command 'learn'") != NULL;
        run_result_free(&r);
        if (unknown)
                printf("SKIP: this sealrun has no 'learn' command\n");
        return !unknown;
}

char *read_text(const char *path) {
        FILE *f = fopen(path, "r");
        if (!f)
                return NULL;
        size_t size = 0, cap = 4096, n;
        char *buf = malloc(cap);
        assert_non_null(buf);
        while ((n = fread(buf + size, 1, cap - size - 1, f)) > 0) {
                size += n;
                if (size + 1 == cap) {
                        cap *= 2;
                        buf = realloc(buf, cap);
                        assert_non_null(buf);
                }
        }
        fclose(f);
        buf[size] = 0;
        return buf;
}

/* Calls FN on each line of TEXT (without its newline) until it returns false. */
static void each_line(const char *text, bool (*fn)(const char *line, size_t len, void *arg), void *arg) {
        for (const char *p = text; *p;) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t) (nl - p) : strlen(p);
                if (!fn(p, len, arg))
                        return;
                p += len + (nl ? 1 : 0);
        }
}

struct statement_search {
        const char *syscall;
        bool found;
};

static bool match_statement(const char *line, size_t len, void *arg) {
        struct statement_search *s = arg;
        size_t n = strlen(s->syscall);
        s->found = len > n && !strncmp(line, s->syscall, n) && line[n] == ':';
        return !s->found;
}

bool has_statement(const char *text, const char *syscall) {
        struct statement_search s = {syscall, false};
        each_line(text, match_statement, &s);
        return s.found;
}

static bool count_statement(const char *line, size_t len, void *arg) {
        size_t *n = arg;
        if (len > 0 && line[0] != '#' && line[0] != '@' && line[0] != ' ')
                (*n)++;
        return true;
}

size_t count_statements(const char *text) {
        size_t n = 0;
        each_line(text, count_statement, &n);
        return n;
}

size_t count_lines(const char *text) {
        size_t n = 0;
        for (const char *p = text; (p = strchr(p, '\n')); p++)
                n++;
        return n;
}

char *without_line(const char *text, const char *prefix) {
        const char *start = text;
        size_t n = strlen(prefix);
        while (start && strncmp(start, prefix, n)) {
                start = strchr(start, '\n');
                start = start ? start + 1 : NULL;
        }
        if (!start)
                fail_msg("no line starting with '%s' in:\n%s", prefix, text);
        const char *end = strchr(start, '\n');
        end = end ? end + 1 : start + strlen(start);
        char *out;
        assert_true(asprintf(&out, "%.*s%s", (int) (start - text), text, end) > 0);
        return out;
}

void assert_learn_covers(const struct run_result *r, const char *policy) {
        char buf[32];
        if (!exited_with(r->status, 0))
                fail_msg("sealrun learn --check %s: %s, the lines to add to it (stderr):\n%s", policy,
                         describe_status(r->status, buf), r->err);
        if (!strstr(r->err, "covers this run") && !strstr(r->out, "covers this run"))
                fail_msg("sealrun learn --check %s exited 0 without saying 'covers this run'; stderr:\n%s",
                         policy, r->err);
}
