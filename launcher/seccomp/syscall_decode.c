/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Arguments by name, see syscall_decode.h. */
#include "syscall_decode.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "arg_width.h"
#include "constants.h"
#include "policy_internal.h"

/* The families (constants.h) that name each kind's values, tried in turn:
 * ioctl commands have no common prefix, and prctl's options share "PR_"
 * with the values of their arguments. */
static const char *const families[][8] = {
        [ARG_OPEN_FLAGS] = {"O_ -O_ACCMODE -O_RDONLY -O_WRONLY -O_RDWR"},
        [ARG_IOCTL] = {"TC", "FIO", "TIOC", "FS_IOC", "SIOC"}, /* FIONREAD, not its alias TIOCINQ */
        [ARG_FCNTL] = {"F_ -F_SEAL_ -F_OWNER_ -F_OK -F_RDLCK -F_WRLCK -F_UNLCK -F_EXLCK -F_SHLCK"},
        [ARG_PRCTL] = {"PR_SET_ -PR_SET_MM_ -PR_SET_PTRACER_ -PR_SET_VMA_", "PR_GET_", "PR_CAPBSET_",
                       "PR_CAP_AMBIENT", "PR_MCE_KILL", "PR_MCE_KILL_GET", "PR_SCHED_CORE",
                       "PR_TASK_PERF_EVENTS_"},
        [ARG_SOCKET_FAMILY] = {"AF_ -AF_FILE -AF_LOCAL -AF_ROUTE"},
        [ARG_SOCKET_TYPE] = {"SOCK_ -SOCK_BUF_ -SOCK_SNDBUF_ -SOCK_RCVBUF_ -SOCK_TXREHASH_ -SOCK_IOC_"},
        [ARG_PROT] = {"PROT_"},
        [ARG_MAP_FLAGS] = {"MAP_"},
        [ARG_CLONE_FLAGS] = {"CLONE_"},
        [ARG_FUTEX_OP] = {"FUTEX_ -FUTEX_OP_"},
        [ARG_SIGNAL] = {"SIG"},
        [ARG_MADVISE] = {"MADV_"},
};

struct out {
        char *buf;
        size_t size, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(o->len < o->size ? o->buf + o->len : NULL, o->len < o->size ? o->size - o->len : 0,
                          fmt, ap);
        va_end(ap);
        if (n > 0)
                o->len += (size_t) n;
}

static void put_flags(struct out *o, const char *family, uint64_t value) {
        struct policy_flag_names f;
        char text[POLICY_FLAG_NAMES_MAX * 32];
        policy_constant_decompose(family, value, &f);
        policy_flag_names_format(&f, text, sizeof(text));
        put(o, "%s", text);
}

/* The access mode is a field, not a flag: O_RDONLY is 0. */
static void put_open_flags(struct out *o, uint64_t value) {
        static const char *const access[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "0x3"};
        put(o, "%s", access[value & O_ACCMODE]);
        if (value & ~(uint64_t) O_ACCMODE) {
                put(o, "|");
                put_flags(o, families[ARG_OPEN_FLAGS][0], value & ~(uint64_t) O_ACCMODE);
        }
}

/* SOCK_STREAM|SOCK_CLOEXEC: the type in the low bits, flags above. */
static void put_socket_type(struct out *o, uint64_t value) {
        const char *type = policy_constant_name_of("SOCK_ -SOCK_CLOEXEC -SOCK_NONBLOCK -SOCK_BUF_ "
                                                   "-SOCK_SNDBUF_ -SOCK_RCVBUF_ -SOCK_TXREHASH_ -SOCK_IOC_",
                                                   value & 0xf);
        if (type)
                put(o, "%s", type);
        else
                put(o, "%#llx", (unsigned long long) (value & 0xf));
        if (value & ~(uint64_t) 0xf) {
                put(o, "|");
                put_flags(o, families[ARG_SOCKET_TYPE][0], value & ~(uint64_t) 0xf);
        }
}

/* CLONE_VM|...|SIGCHLD: the exit signal in the low byte (CSIGNAL). */
static void put_clone_flags(struct out *o, uint64_t value) {
        uint64_t flags = value & ~(uint64_t) 0xff;
        if (flags)
                put_flags(o, families[ARG_CLONE_FLAGS][0], flags);
        const char *sig = policy_constant_name_of("SIG", value & 0xff);
        if (value & 0xff)
                put(o, "%s%s", flags ? "|" : "", sig ? sig : "0");
        else if (!flags)
                put(o, "0");
}

static const char *exact_name(enum arg_kind kind, uint64_t value) {
        const char *name = NULL;
        for (size_t i = 0; !name && i < 8 && families[kind][i]; i++)
                name = policy_constant_name_of(families[kind][i], value);
        return name;
}

static void put_exact(struct out *o, enum arg_kind kind, uint64_t value) {
        const char *name = exact_name(kind, value);
        if (name)
                put(o, "%s", name);
        else if (kind == ARG_FUTEX_OP && (value & FUTEX_CLOCK_REALTIME) &&
                 (name = exact_name(kind, value & ~(uint64_t) FUTEX_CLOCK_REALTIME)))
                put(o, "%s|FUTEX_CLOCK_REALTIME", name);
        else
                put(o, "%#llx", (unsigned long long) value);
}

size_t syscall_arg_format(enum arg_kind kind, uint64_t value, char *buf, size_t size) {
        struct out o = {buf, size, 0};
        if (size)
                buf[0] = '\0';
        switch (kind) {
        case ARG_HEX:
                put(&o, value < 10 ? "%llu" : "%#llx", (unsigned long long) value);
                break;
        case ARG_FD:
                if ((int) value == AT_FDCWD) {
                        put(&o, "AT_FDCWD");
                        break;
                }
                /* fall through */
        case ARG_INT:
                put(&o, "%lld", (long long) (int64_t) value);
                break;
        case ARG_OPEN_FLAGS:
                put_open_flags(&o, value);
                break;
        case ARG_SOCKET_TYPE:
                put_socket_type(&o, value);
                break;
        case ARG_CLONE_FLAGS:
                put_clone_flags(&o, value);
                break;
        case ARG_PROT:
        case ARG_MAP_FLAGS:
                put_flags(&o, families[kind][0], value);
                break;
        default:
                put_exact(&o, kind, value);
        }
        return o.len;
}

size_t syscall_call_format(const char *name, const uint64_t args[6], char *buf, size_t size) {
        struct out o = {buf, size, 0};
        const struct syscall_signature *s = syscall_signature_find(name);
        unsigned n = s ? s->n_args : 6;
        while (!s && n > 0 && args[n - 1] == 0)
                n--;
        put(&o, "%s(", name);
        for (unsigned i = 0; i < n; i++) {
                char arg[256];
                syscall_arg_format(s ? s->kind[i] : ARG_HEX, args[i], arg, sizeof(arg));
                put(&o, "%s%s", i ? ", " : "", arg);
        }
        put(&o, ")");
        return o.len;
}

const char *syscall_name_of(uint32_t arch, int nr, char *buf, size_t size) {
        char *name = seccomp_syscall_resolve_num_arch(arch, nr);
        if (name) {
                snprintf(buf, size, "%s", name);
                free(name);
                return buf;
        }
        int extra_nr;
        const char *extra;
        for (size_t i = 0; (extra = policy_extra_syscall(arch, i, &extra_nr, NULL)); i++)
                if (extra_nr == nr) {
                        snprintf(buf, size, "%s", extra);
                        return buf;
                }
        snprintf(buf, size, "syscall_%d", nr);
        return buf;
}

uint64_t syscall_arg_compared(const char *name, unsigned arg, uint64_t value) {
        return value & policy_width_mask(policy_arg_width(name, arg));
}
