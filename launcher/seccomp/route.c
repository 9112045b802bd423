/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The filter variant of a supervised run (sealrun run --explain, sealrun
 * learn): the same parsed policy with some decisions handed to the
 * supervisor through SECCOMP_RET_USER_NOTIF.  Only actions change, never
 * conditions, so the program that comes out is compiled and verified by the
 * same code as any policy, and every call the policy allows stays in BPF.
 */
#include "policy_internal.h"

static void route(struct policy_action *a, unsigned route_types) {
        if ((unsigned) a->type < 32 && (route_types & POLICY_ACTION_BIT(a->type)))
                *a = (struct policy_action){.type = POLICY_ACTION_USER_NOTIFY};
}

void syscall_policy_route_to_notify(struct syscall_policy *p, unsigned route_types, bool route_default) {
        for (size_t i = 0; i < p->n_syscalls; i++)
                for (size_t k = 0; k < p->syscalls[i].n_rules; k++) {
                        struct rule *r = &p->syscalls[i].rules[k];
                        route(&r->action, route_types);
                        if (r->has_else)
                                route(&r->else_action, route_types);
                }
        if (p->has_unknown)
                route(&p->unknown_action, route_types);
        struct policy_action def = syscall_policy_default_action(p);
        if (route_default)
                def = (struct policy_action){.type = POLICY_ACTION_USER_NOTIFY};
        else
                route(&def, route_types);
        /* Where the default came from stays as it was (diagnostics read it). */
        if (p->has_default)
                p->file_default = def;
        else {
                p->opts.default_action = def;
                p->opts.default_action_set = true;
        }
}
