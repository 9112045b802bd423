/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The record of a learn run, see learn_record.h. */
#include "learn_record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "array.h"
#include "syscall_decode.h"
#include "syscall_policy.h"

static int open_flags_arg(const char *name) {
        if (!strcmp(name, "open"))
                return 1;
        if (!strcmp(name, "openat"))
                return 2;
        return -1;
}

static int prot_arg(const char *name) {
        const struct syscall_signature *s = syscall_signature_find(name);
        for (unsigned i = 0; s && i < s->n_args; i++)
                if (s->kind[i] == ARG_PROT)
                        return (int) i;
        return -1;
}

static void describe(struct learn_syscall *c, uint32_t arch, int nr) {
        *c = (struct learn_syscall){.nr = nr};
        syscall_name_of(arch, nr, c->name, sizeof(c->name));
        const struct syscall_signature *s = syscall_signature_find(c->name);
        for (unsigned i = 0; s && i < 6 && c->n_exact < LEARN_EXACT_ARGS_MAX; i++)
                if (s->learn_exact & (1u << i))
                        c->exact_arg[c->n_exact++] = i;
        c->open_flags_arg = open_flags_arg(c->name);
        c->prot_arg = prot_arg(c->name);
}

static struct learn_syscall *entry_for(struct learn_record *r, uint32_t arch, int nr) {
        for (size_t i = 0; i < r->n_syscalls; i++)
                if (r->syscalls[i].nr == nr)
                        return &r->syscalls[i];
        if (ARRAY_GROW(r->syscalls, r->cap, r->n_syscalls + 1) < 0)
                return NULL;
        struct learn_syscall *c = &r->syscalls[r->n_syscalls++];
        describe(c, arch, nr);
        return c;
}

static void add_values(struct learn_syscall *c, const uint64_t args[6]) {
        uint64_t tuple[LEARN_EXACT_ARGS_MAX] = {0};
        for (unsigned k = 0; k < c->n_exact; k++)
                tuple[k] = syscall_arg_compared(c->name, c->exact_arg[k], args[c->exact_arg[k]]);
        for (size_t i = 0; i < c->n_values; i++)
                if (!memcmp(c->values[i], tuple, sizeof(tuple)))
                        return;
        if (c->n_values == LEARN_VALUES_MAX)
                c->too_many_values = true;
        else
                memcpy(c->values[c->n_values++], tuple, sizeof(tuple));
}

static void add_call(struct learn_syscall *c, const uint64_t args[6]) {
        c->calls++;
        if (c->n_exact)
                add_values(c, args);
        if (c->open_flags_arg >= 0) {
                uint64_t flags =
                        syscall_arg_compared(c->name, (unsigned) c->open_flags_arg, args[c->open_flags_arg]);
                if (flags & LEARN_OPEN_WRITE_FLAGS)
                        c->open_writes = true;
                c->open_flags_seen |= flags & ~(uint64_t) O_ACCMODE;
        }
        if (c->prot_arg >= 0) {
                uint64_t prot = args[c->prot_arg];
                if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
                        c->write_and_exec = true;
        }
}

int learn_record_add(struct learn_record *r, const struct seccomp_data *data) {
        /* A policy names syscalls of the native arch; the compiled filter
         * treats any other arch as its own (its default), so such calls
         * are counted, never written as native ones. */
        if (data->arch != policy_arch_native()) {
                r->foreign_arch_calls++;
                return 0;
        }
        struct learn_syscall *c = entry_for(r, data->arch, data->nr);
        if (!c) {
                r->out_of_memory = true;
                return -ENOMEM;
        }
        uint64_t args[6];
        memcpy(args, data->args, sizeof(args));
        add_call(c, args);
        r->calls++;
        return 0;
}

int learn_record_add_implied(struct learn_record *r) {
        size_t before = r->n_syscalls;
        struct learn_syscall *c = entry_for(r, policy_arch_native(), SYS_exit_group);
        if (!c)
                return -ENOMEM;
        c->implied = r->n_syscalls > before;
        return 0;
}

bool learn_syscall_nameless(const struct learn_syscall *c) {
        return !strncmp(c->name, "syscall_", 8);
}

size_t learn_record_statements(const struct learn_record *r) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_syscalls; i++)
                n += !learn_syscall_nameless(&r->syscalls[i]);
        return n;
}

size_t learn_record_seen(const struct learn_record *r) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_syscalls; i++)
                n += !r->syscalls[i].implied;
        return n;
}

void learn_record_free(struct learn_record *r) {
        free(r->syscalls);
        learn_paths_free(&r->paths);
        *r = (struct learn_record) LEARN_RECORD_INIT;
}

static int by_name(const void *a, const void *b) {
        return strcmp(((const struct learn_syscall *) a)->name, ((const struct learn_syscall *) b)->name);
}

void learn_record_sort(struct learn_record *r) {
        if (r->n_syscalls)
                qsort(r->syscalls, r->n_syscalls, sizeof(*r->syscalls), by_name);
}

enum supervise_answer learn_record_call(void *userdata, const struct supervise_call *c, int *ret_errno) {
        struct learn_record *r = userdata;
        (void) ret_errno;
        /* A call that cannot be recorded still runs: the record says it is
         * incomplete, and the command refuses to write from it. */
        (void) learn_record_add(r, c->data);
        if (r->want_paths && c->data->arch == policy_arch_native())
                learn_paths_note(&r->paths, c);
        return SUPERVISE_CONTINUE;
}
