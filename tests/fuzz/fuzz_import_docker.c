/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: arbitrary bytes as a Docker/OCI seccomp profile for
 * `sealrun import docker`.  A profile is untrusted input: malformed JSON,
 * wrong types, huge arrays and deep nesting must give one error line that
 * names the JSON path (or LINE:COL for malformed JSON), never a crash.
 * What it converts must be policy text the parser accepts without an error
 * (a comment from the JSON that could break a line, or a rule the language
 * refuses, aborts here).  Nothing is compiled: libseccomp's speed is not
 * the importer's. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_docker.h"
#include "syscall_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_one_line(const char *s, bool allow_newlines) {
        for (; *s; s++)
                if (((unsigned char) *s < 0x20 && !(allow_newlines && *s == '\n')) ||
                    (unsigned char) *s > 0x7e)
                        abort();
}

static void check_policy(const char *text) {
        struct syscall_policy_options opts = {.denylist = strstr(text, "\n@denylist\n") != NULL};
        struct syscall_policy *p = NULL;
        struct diag d = DIAG_INIT;
        if (syscall_policy_new(&opts, &p) < 0)
                abort();
        int r = syscall_policy_parse_text(p, "imported.policy", 1, text, strlen(text), &d);
        if (r == -EINVAL || d.n_errors) {
                diag_print(&d, stderr);
                fputs(text, stderr);
                abort();
        }
        syscall_policy_free(p);
        diag_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char *const caps[] = {"CAP_SYS_ADMIN", "CAP_NET_RAW"};
        const struct import_docker_options o = {
                .source_name = "fuzz.json",
                .caps = caps,
                .n_caps = 2,
                .kernel = {5, 10, 0},
        };
        char *text = NULL, *error = NULL, *notes_text = NULL;
        size_t notes_size = 0;
        FILE *notes = open_memstream(&notes_text, &notes_size);
        if (!notes)
                return 0;
        int r = import_docker((const char *) data, size, &o, notes, &text, &error);
        fclose(notes);
        check_one_line(notes_text, true);
        if (r == 0)
                check_policy(text);
        else if (r == -EINVAL) {
                if (!error || !*error || (error[0] != '.' && (error[0] < '1' || error[0] > '9')))
                        abort();
                check_one_line(error, false);
        } else if (r != -ENOMEM)
                abort();
        free(text);
        free(error);
        free(notes_text);
        return 0;
}
