/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Policy actions: their names, their libseccomp values. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_internal.h"

static const struct policy_action_word action_words[] = {
        {"allow", POLICY_ACTION_ALLOW},
        {"1", POLICY_ACTION_ALLOW},
        /* minijail's compiler lets `kill` mean its configured kill action;
         * here that is always the process (a thread-only kill leaves a
         * half-dead process behind). */
        {"kill", POLICY_ACTION_KILL_PROCESS},
        {"kill-process", POLICY_ACTION_KILL_PROCESS},
        {"kill-thread", POLICY_ACTION_KILL_THREAD},
        {"trap", POLICY_ACTION_TRAP},
        {"trace", POLICY_ACTION_TRACE},
        {"log", POLICY_ACTION_LOG},
        {"user-notify", POLICY_ACTION_USER_NOTIFY},
};

/* Errno values a filter may return: the kernel's MAX_ERRNO bounds them. */
#define POLICY_MAX_ERRNO 4095

static int parse_errno(const char *text, uint32_t *ret) {
        if (!text || !*text)
                return -EINVAL;
        if (text[0] >= '0' && text[0] <= '9') {
                char *end;
                errno = 0;
                unsigned long v = strtoul(text, &end, 0);
                if (errno || *end || v > POLICY_MAX_ERRNO)
                        return -EINVAL;
                *ret = (uint32_t) v;
                return 0;
        }
        return policy_errno_lookup(text, ret) < 0 ? -EINVAL : 0;
}

int policy_action_from_words(const char *word, const char *errno_text, struct policy_action *ret) {
        if (!strcmp(word, "return")) {
                uint32_t e;
                if (parse_errno(errno_text, &e) < 0)
                        return -EINVAL;
                *ret = (struct policy_action){.type = POLICY_ACTION_ERRNO, .value = e};
                return 0;
        }
        if (errno_text)
                return -EINVAL;
        if (policy_action_word_lookup(action_words, sizeof(action_words) / sizeof(action_words[0]), word,
                                      ret) < 0)
                return -EINVAL;
        return 0;
}

int policy_action_word_lookup(const struct policy_action_word *words, size_t n, const char *word,
                              struct policy_action *ret) {
        for (size_t i = 0; i < n; i++)
                if (!strcmp(word, words[i].word)) {
                        *ret = (struct policy_action){.type = words[i].type};
                        return 0;
                }
        return -ENOENT;
}

int policy_action_parse(const char *text, struct policy_action *ret) {
        char word[32];
        const char *sp = strpbrk(text, " \t");
        if (!sp)
                return policy_action_from_words(text, NULL, ret);
        size_t n = (size_t) (sp - text);
        if (n >= sizeof(word))
                return -EINVAL;
        memcpy(word, text, n);
        word[n] = 0;
        sp += strspn(sp, " \t");
        return policy_action_from_words(word, *sp ? sp : NULL, ret);
}

uint32_t policy_action_to_scmp(struct policy_action action) {
        switch (action.type) {
        case POLICY_ACTION_ALLOW:
                return SCMP_ACT_ALLOW;
        case POLICY_ACTION_KILL_PROCESS:
                return SCMP_ACT_KILL_PROCESS;
        case POLICY_ACTION_KILL_THREAD:
                return SCMP_ACT_KILL_THREAD;
        case POLICY_ACTION_TRAP:
                return SCMP_ACT_TRAP;
        case POLICY_ACTION_ERRNO:
                return SCMP_ACT_ERRNO(action.value);
        case POLICY_ACTION_TRACE:
                return SCMP_ACT_TRACE(action.value);
        case POLICY_ACTION_LOG:
                return SCMP_ACT_LOG;
        case POLICY_ACTION_USER_NOTIFY:
                return SCMP_ACT_NOTIFY;
        }
        return SCMP_ACT_KILL_PROCESS;
}

static const char *action_name(enum policy_action_type t) {
        static const char *const names[] = {
                [POLICY_ACTION_ALLOW] = "allow",
                [POLICY_ACTION_KILL_PROCESS] = "kill-process",
                [POLICY_ACTION_KILL_THREAD] = "kill-thread",
                [POLICY_ACTION_TRAP] = "trap",
                [POLICY_ACTION_ERRNO] = "errno",
                [POLICY_ACTION_TRACE] = "trace",
                [POLICY_ACTION_LOG] = "log",
                [POLICY_ACTION_USER_NOTIFY] = "user-notify",
        };
        return (unsigned) t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

const char *policy_action_describe(struct policy_action action, char *buf, size_t size) {
        if (action.type == POLICY_ACTION_ERRNO)
                snprintf(buf, size, "errno(%u)", (unsigned) action.value);
        else
                snprintf(buf, size, "%s", action_name(action.type));
        return buf;
}

const char *policy_action_statement_text(struct policy_action action, char *buf, size_t size) {
        if (action.type == POLICY_ACTION_ALLOW)
                snprintf(buf, size, "1");
        else if (action.type == POLICY_ACTION_ERRNO)
                snprintf(buf, size, "return %u", (unsigned) action.value);
        else
                snprintf(buf, size, "%s", action_name(action.type));
        return buf;
}

bool policy_action_equal(struct policy_action a, struct policy_action b) {
        if (a.type != b.type)
                return false;
        return (a.type != POLICY_ACTION_ERRNO && a.type != POLICY_ACTION_TRACE) || a.value == b.value;
}

bool policy_action_is_permissive(struct policy_action a) {
        return a.type == POLICY_ACTION_ALLOW || a.type == POLICY_ACTION_LOG;
}
