/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Stage 3, the precompiled-filter part: see filter_bpf.h.
 *
 * The file is read once into private memory, and the bytes hashed are the
 * bytes loaded: nobody else can change that buffer, so there is no window
 * between the digest check and seccomp().  (A sealed memfd buys the same
 * thing when bytes go to another process; here they only go to the kernel,
 * and the copy costs four syscalls instead of a dozen.)
 */
#include "filter_bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "sha256_hex.h"
#include "file_type.h"

#define STAGE "prepare"

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LOW(i) ((uint32_t) (offsetof(struct seccomp_data, args) + 8 * (i)))
#define ARG_HIGH(i) ((uint32_t) (offsetof(struct seccomp_data, args) + 8 * (i) + 4))
#else
#define ARG_LOW(i) ((uint32_t) (offsetof(struct seccomp_data, args) + 8 * (i) + 4))
#define ARG_HIGH(i) ((uint32_t) (offsetof(struct seccomp_data, args) + 8 * (i)))
#endif
#define NR_OFFSET ((uint32_t) offsetof(struct seccomp_data, nr))
#define ARCH_OFFSET ((uint32_t) offsetof(struct seccomp_data, arch))

/* The prefix is built with symbolic jumps to two labels, patched at the end. */
enum label { NEXT, TO_ALLOW, TO_RESET };

struct prefix {
        struct sock_filter *insn;
        size_t n;
        enum label fix_label[LAUNCHER_PREFIX_MAX][2]; /* jt, jf of each insn: NEXT = as emitted */
};

static void emit(struct prefix *b, struct sock_filter f, enum label jt, enum label jf) {
        b->fix_label[b->n][0] = jt;
        b->fix_label[b->n][1] = jf;
        b->insn[b->n++] = f;
}

static void load(struct prefix *b, uint32_t offset) {
        emit(b, (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset), NEXT, NEXT);
}

/* if (A == k) goto jt; else goto jf; jf NEXT + skip: over `skip` insns. */
static void jeq(struct prefix *b, uint32_t k, enum label jt, enum label jf, uint8_t skip) {
        emit(b, (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 0, skip), jt, jf);
}

static void patch(struct prefix *b, size_t allow, size_t reset) {
        for (size_t i = 0; i < b->n; i++)
                for (int which = 0; which < 2; which++) {
                        enum label l = b->fix_label[i][which];
                        if (l == NEXT)
                                continue;
                        uint8_t off = (uint8_t) ((l == TO_ALLOW ? allow : reset) - i - 1);
                        if (which == 0)
                                b->insn[i].jt = off;
                        else
                                b->insn[i].jf = off;
                }
}

/* execveat with exactly the launcher's arguments -> ALLOW; any mismatch
 * skips the rest of the block. */
static void emit_exec_rule(struct prefix *b, const struct launcher_exec_call *x) {
        const struct {
                uint32_t offset, value;
        } checks[] = {
                {ARG_LOW(0), (uint32_t) x->binary_fd}, {ARG_LOW(4), (uint32_t) AT_EMPTY_PATH},
                {ARG_LOW(1), (uint32_t) x->path},      {ARG_HIGH(1), (uint32_t) (x->path >> 32)},
                {ARG_LOW(2), (uint32_t) x->argv},      {ARG_HIGH(2), (uint32_t) (x->argv >> 32)},
                {ARG_LOW(3), (uint32_t) x->envp},      {ARG_HIGH(3), (uint32_t) (x->envp >> 32)},
        };
        size_t n = sizeof(checks) / sizeof(checks[0]);
        load(b, NR_OFFSET);
        jeq(b, (uint32_t) __NR_execveat, NEXT, NEXT, (uint8_t) (2 * n));
        for (size_t i = 0; i < n; i++) {
                load(b, checks[i].offset);
                if (i + 1 < n)
                        jeq(b, checks[i].value, NEXT, NEXT, (uint8_t) (2 * (n - i - 1)));
                else
                        jeq(b, checks[i].value, TO_ALLOW, NEXT, 0);
        }
}

/* syscall(fd, ...) -> ALLOW, comparing the fd's low 32 bits. */
static void emit_fd_rule(struct prefix *b, int nr, int fd) {
        load(b, NR_OFFSET);
        jeq(b, (uint32_t) nr, NEXT, NEXT, 2);
        load(b, ARG_LOW(0));
        jeq(b, (uint32_t) fd, TO_ALLOW, NEXT, 0);
}

size_t filter_bpf_prefix_build(uint32_t arch, const struct launcher_exec_call *exec, int status_fd,
                               int handoff_fd, struct sock_filter out[LAUNCHER_PREFIX_MAX]) {
        struct prefix b = {.insn = out};
        load(&b, ARCH_OFFSET);
        jeq(&b, arch, NEXT, TO_RESET, 0);
        if (exec)
                emit_exec_rule(&b, exec);
        if (status_fd >= 0)
                emit_fd_rule(&b, __NR_write, status_fd);
        if (handoff_fd >= 0)
                emit_fd_rule(&b, __NR_sendmsg, handoff_fd);
        load(&b, NR_OFFSET);
        jeq(&b, (uint32_t) __NR_exit_group, TO_ALLOW, NEXT, 0);
        size_t reset = b.n;
        emit(&b, (struct sock_filter) BPF_STMT(BPF_LD | BPF_IMM, 0), NEXT, NEXT);
        emit(&b, (struct sock_filter) BPF_STMT(BPF_LDX | BPF_IMM, 0), NEXT, NEXT);
        emit(&b, (struct sock_filter) BPF_STMT(BPF_JMP | BPF_JA, 1), NEXT,
             NEXT); /* over ALLOW, into the policy */
        size_t allow = b.n;
        emit(&b, (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), NEXT, NEXT);
        patch(&b, allow, reset);
        return b.n;
}

/* Up to max + 1 bytes of fd into buf, so a file longer than max shows. */
static ssize_t read_bounded(int fd, uint8_t *buf, size_t max) {
        size_t got = 0;
        while (got <= max) {
                ssize_t n = read(fd, buf + got, max + 1 - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                got += (size_t) n;
        }
        return (ssize_t) got;
}

static int read_filter_file(const char *path, uint8_t *buf, size_t max, size_t *ret_size, const char *thing,
                            struct launch_error *e) {
        /* O_NONBLOCK: a FIFO would block the open itself, before the
         * S_ISREG check; reads of a regular file ignore the flag. */
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return launch_error_set(e, STAGE, errno, thing, "%s", strerror(errno));
        struct stat st;
        if (fstat(fd, &st) < 0)
                return launch_error_set(e, STAGE, errno, thing, "%s", strerror(errno));
        if (!S_ISREG(st.st_mode)) /* a FIFO could block, a device never end */
                return launch_error_set(e, STAGE, EINVAL, thing, "%s",
                                        file_type_words(st.st_mode) ? file_type_words(st.st_mode)
                                                                    : "is not a regular file");
        if ((uint64_t) st.st_size > max)
                return launch_error_set(
                        e, STAGE, EFBIG, thing,
                        "is %jd bytes: more than the %zu BPF instructions that fit beside the "
                        "launcher's own under the kernel's limit of %d",
                        (intmax_t) st.st_size, max / sizeof(struct sock_filter), BPF_MAXINSNS);
        ssize_t n = read_bounded(fd, buf, max);
        if (n < 0)
                return launch_error_set(e, STAGE, (int) -n, thing, "%s", strerror((int) -n));
        if ((size_t) n > max)
                return launch_error_set(e, STAGE, EFBIG, thing, "grew past %zu bytes while it was read", max);
        *ret_size = (size_t) n;
        return 0;
}

static int check_filter(const uint8_t sha256[32], const uint8_t *bytes, size_t size, const char *thing,
                        struct launch_error *e) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        struct sha256_ctx ctx;
        sha256_init(&ctx);
        sha256_update(&ctx, size, bytes);
        sha256_digest(&ctx, sizeof(digest), digest);
        if (memcmp(digest, sha256, sizeof(digest))) {
                char want[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1];
                sha256_hex_format(sha256, want);
                sha256_hex_format(digest, got);
                return launch_error_set(
                        e, STAGE, EBADMSG, thing,
                        "SHA-256 mismatch: expected %s, got %s (recompile and re-pin, or restore the file)",
                        want, got);
        }
        /* The pin says these are the reviewed bytes; still refuse what is
         * not a BPF program at all rather than let seccomp() fail after the
         * irreversible steps. */
        if (size == 0 || size % sizeof(struct sock_filter))
                return launch_error_set(
                        e, STAGE, EINVAL, thing,
                        "is %zu bytes, not a whole number of BPF instructions (%zu bytes each)", size,
                        sizeof(struct sock_filter));
        const struct sock_filter *last = (const void *) (bytes + size - sizeof(struct sock_filter));
        if (BPF_CLASS(last->code) != BPF_RET)
                return launch_error_set(e, STAGE, EINVAL, thing,
                                        "is not a BPF program (it does not end in a return)");
        return 0;
}

/* Read and check the compiled filter at path into bytes (room for max
 * bytes + 1). */
static int load_compiled(const char *path, const uint8_t sha256[32], uint8_t *bytes, size_t max,
                         size_t *ret_size, struct launch_error *e) {
        char thing[LAUNCH_ERROR_TEXT_MAX];
        snprintf(thing, sizeof(thing), "seccomp compiled filter '%s'", path);
        size_t size = 0;
        int r = read_filter_file(path, bytes, max, &size, thing, e);
        if (r >= 0)
                r = check_filter(sha256, bytes, size, thing, e);
        if (r >= 0)
                *ret_size = size;
        return r;
}

int filter_bpf_verify_compiled(const char *path, const uint8_t sha256[32], struct launch_error *e) {
        _cleanup_free_ uint8_t *bytes = malloc((BPF_MAXINSNS + 1) * sizeof(struct sock_filter));
        size_t size;
        if (!bytes)
                return -ENOMEM;
        return load_compiled(path, sha256, bytes, BPF_MAXINSNS * sizeof(struct sock_filter), &size, e);
}

size_t filter_bpf_plan_prefix(const struct plan *p, const struct exec_args *exec,
                              struct sock_filter out[LAUNCHER_PREFIX_MAX]) {
        struct launcher_exec_call call = {.binary_fd = p->binary_fd};
        if (exec) {
                call.path = (uintptr_t) exec->empty;
                call.argv = (uintptr_t) exec->argv;
                call.envp = (uintptr_t) exec->envp;
        }
        return filter_bpf_prefix_build(policy_arch_native(), p->binary_fd >= 0 ? &call : NULL, p->status_fd,
                                       p->handoff_fd, out);
}

/* prog has room for BPF_MAXINSNS; its policy part starts at n_prefix. */
static void store_with_prefix(struct filter *f, struct sock_filter *prog, const struct sock_filter *prefix,
                              size_t n_prefix, size_t n_policy) {
        memcpy(prog, prefix, n_prefix * sizeof(struct sock_filter));
        f->prefix_len = n_prefix;
        f->len = n_prefix + n_policy;
        f->bpf = prog;
}

int filter_bpf_assemble_compiled(const struct sock_filter *prefix, size_t n_prefix, const char *path,
                                 const uint8_t sha256[32], struct filter *f, struct launch_error *e) {
        size_t max_insns = BPF_MAXINSNS - n_prefix;
        _cleanup_free_ struct sock_filter *prog = malloc((BPF_MAXINSNS + 1) * sizeof(struct sock_filter));
        if (!prog)
                return -ENOMEM;
        size_t size = 0;
        int r = load_compiled(path, sha256, (uint8_t *) (prog + n_prefix),
                              max_insns * sizeof(struct sock_filter), &size, e);
        if (r < 0)
                return r;
        store_with_prefix(f, TAKE_PTR(prog), prefix, n_prefix, size / sizeof(struct sock_filter));
        return 0;
}

int filter_bpf_assemble_program(const struct sock_filter *prefix, size_t n_prefix,
                                const struct sock_filter *policy, size_t n_insns, struct filter *f,
                                struct launch_error *e) {
        if (n_insns > BPF_MAXINSNS - n_prefix)
                return launch_error_set(
                        e, STAGE, E2BIG, "seccomp policy",
                        "needs %zu BPF instructions with the launcher's own %zu, more than the "
                        "kernel's limit of %d",
                        n_insns + n_prefix, n_prefix, BPF_MAXINSNS);
        struct sock_filter *prog = malloc((n_prefix + n_insns) * sizeof(struct sock_filter));
        if (!prog)
                return -ENOMEM;
        memcpy(prog + n_prefix, policy, n_insns * sizeof(struct sock_filter));
        store_with_prefix(f, prog, prefix, n_prefix, n_insns);
        return 0;
}
