/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --explain: every denial named, then carried out (explain.h). */
#include "explain.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "constants.h"
#include "json_string.h"
#include "syscall_decode.h"

/* The process name, as ps shows it ("?" when /proc cannot tell). */
static void read_comm(pid_t pid, char *buf, size_t size) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/comm", (int) pid);
        FILE *f = fopen(path, "re");
        if (!f || !fgets(buf, (int) size, f))
                snprintf(buf, size, "?");
        else
                buf[strcspn(buf, "\n")] = '\0';
        if (f)
                fclose(f);
}

/* An action in the policy language's words: "kill-process", "return EPERM". */
static const char *action_words(struct policy_action a, char *buf, size_t size) {
        const char *name = a.type == POLICY_ACTION_ERRNO ? policy_errno_name(a.value) : NULL;
        if (a.type != POLICY_ACTION_ERRNO)
                return policy_action_describe(a, buf, size);
        if (name)
                snprintf(buf, size, "return %s", name);
        else
                snprintf(buf, size, "return %u", (unsigned) a.value);
        return buf;
}

/* "policies/jq.policy has no rule for futex (default kill-process)" or
 * "policies/x.policy:3 decides return EACCES". */
static void reason(const struct explainer *x, const char *name, const struct policy_decision *d, char *buf,
                   size_t size) {
        char action[64];
        action_words(d->action, action, sizeof(action));
        const char *file = x->policy_file ? x->policy_file : "the policy";
        if (!d->is_default)
                snprintf(buf, size, "%s:%u decides %s", d->file, d->line, action);
        else if (!d->syscall_has_rules)
                snprintf(buf, size, "%s has no rule for %s (default %s)", file, name, action);
        else
                snprintf(buf, size, "no rule for %s in %s matches these arguments (default %s)", name, file,
                         action);
}

static void write_status(const struct explainer *x, pid_t pid, const char *comm, const char *name,
                         const char *call, const struct policy_decision *d) {
        if (x->status_fd < 0)
                return;
        char action[64], comm_json[64], name_json[96], call_json[1024], file_json[600], line[2048];
        action_words(d->action, action, sizeof(action));
        json_string_format(comm_json, sizeof(comm_json), comm);
        json_string_format(name_json, sizeof(name_json), name);
        json_string_format(call_json, sizeof(call_json), call);
        json_string_format(file_json, sizeof(file_json), d->file);
        char rule[700] = "null";
        if (d->file)
                snprintf(rule, sizeof(rule), "{\"file\":%s,\"line\":%u}", file_json, d->line);
        int n = snprintf(line, sizeof(line),
                         "{\"event\":\"denied\",\"pid\":%d,\"comm\":%s,\"syscall\":%s,\"call\":%s,"
                         "\"action\":\"%s\",\"default\":%s,\"rule\":%s}\n",
                         (int) pid, comm_json, name_json, call_json, action, d->is_default ? "true" : "false",
                         rule);
        if (n > 0 && (size_t) n < sizeof(line))
                (void) !write(x->status_fd, line, (size_t) n);
}

enum supervise_answer explain_call(void *userdata, const struct supervise_call *c, int *ret_errno) {
        const struct explainer *x = userdata;
        const struct seccomp_data *data = c->data;
        pid_t pid = c->pid;
        char name[64], call[1024], comm[32], why[1024];
        syscall_name_of(data->arch, data->nr, name, sizeof(name));
        uint64_t args[6];
        memcpy(args, data->args, sizeof(args));
        syscall_call_format(name, args, call, sizeof(call));
        read_comm(pid, comm, sizeof(comm));
        struct policy_decision d;
        syscall_policy_explain(x->policy, data->nr, args, &d);
        reason(x, name, &d, why, sizeof(why));
        fprintf(stderr, "sealrun: denied: %s (pid %d): %s: %s\n", comm, (int) pid, call, why);
        write_status(x, pid, comm, name, call, &d);
        switch (d.action.type) {
        case POLICY_ACTION_ERRNO:
                *ret_errno = (int) d.action.value;
                return SUPERVISE_ERRNO;
        case POLICY_ACTION_ALLOW:
        case POLICY_ACTION_LOG:
                return SUPERVISE_CONTINUE; /* cannot happen: allowing rules stay in BPF */
        case POLICY_ACTION_USER_NOTIFY:
                *ret_errno = ENOSYS; /* what the kernel answers when no supervisor listens */
                return SUPERVISE_ERRNO;
        default:
                return SUPERVISE_KILL;
        }
}
