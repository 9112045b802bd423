/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --dry-run printing, see dry_run.h. */
#include "dry_run.h"

#include <inttypes.h>
#include <string.h>
#include <sys/capability.h>

#include "json_string.h"
#include "rlimit_name.h"
#include "seals.h"
#include "sha256_hex.h"
#include "size.h"
#include "status.h"

static void print_sha256(FILE *out, const uint8_t *d) {
        char text[SHA256_HEX_LEN + 1];
        sha256_hex_format(d, text);
        fputs(text, out);
}

static const char *seals_text(uint32_t seals, char *buf, size_t n) {
        if (!seals)
                return "write,shrink,grow,seal (+exec where the kernel has it)";
        seals_format(seals, buf, n);
        return buf;
}

static void limit_text(uint64_t v, char *buf, size_t n) {
        if (v == UINT64_MAX)
                snprintf(buf, n, "unlimited");
        else
                snprintf(buf, n, "%" PRIu64, v);
}

static void print_caps(FILE *out, uint64_t keep, bool json) {
        bool first = true;
        for (cap_value_t c = 0; c < 64; c++) {
                if (!(keep & (UINT64_C(1) << c)))
                        continue;
                char *name = cap_to_name(c);
                if (json) {
                        fputs(first ? "" : ",", out);
                        json_string_write(out, name);
                } else
                        fprintf(out, "%s%s", first ? "" : " ", name);
                cap_free(name);
                first = false;
        }
        if (!json && first)
                fputs("none", out);
}

/* One line per landlock path with the rights it resolved to, the ports,
 * the scopes, and what this kernel cannot enforce. */
static void landlock_text(FILE *out, const struct plan *p, const struct prepared *pr) {
        const struct landlock_plan *l = &p->landlock;
        const struct landlock_spec *s = &p->landlock_spec;
        char a[400];
        if (!s->present) {
                fputs("landlock:     none\n", out);
                return;
        }
        if (l->enabled)
                fprintf(out, "landlock:     ABI %d (kernel %d)%s, everything not granted is denied\n", l->abi,
                        l->kernel_abi, s->best_effort ? ", best-effort" : "");
        else
                fputs("landlock:     NOT ENFORCED: the kernel has no Landlock (best-effort)\n", out);
        for (size_t i = 0; i < s->n_paths; i++)
                fprintf(out, "  %-7s %s: %s\n", landlock_grant_name(s->paths[i].grant), s->paths[i].path,
                        landlock_rights_text('f', pr->landlock_rights ? pr->landlock_rights[i] : 0, a,
                                             sizeof(a)));
        for (size_t i = 0; i < s->n_ports; i++)
                fprintf(out, "  %-7s tcp %u\n", s->ports[i].access == LL_NET_BIND_TCP ? "bind" : "connect",
                        (unsigned) s->ports[i].port);
        fprintf(out, "  scoped: %s\n", landlock_rights_text('s', l->scoped, a, sizeof(a)));
        if (l->unenforced_fs | l->unenforced_net | l->unenforced_scoped) {
                fprintf(out, "  not enforced (the kernel cannot): %s",
                        landlock_rights_text('f', l->unenforced_fs, a, sizeof(a)));
                fprintf(out, "; %s", landlock_rights_text('n', l->unenforced_net, a, sizeof(a)));
                fprintf(out, "; scopes %s\n", landlock_rights_text('s', l->unenforced_scoped, a, sizeof(a)));
        }
}

static void user_text(FILE *out, const struct prepared *pr) {
        char a[400];
        if (!pr->user.change) {
                fputs("user:         unchanged (sealrun's own)\n", out);
                return;
        }
        user_ids_text(&pr->user, a, sizeof(a));
        fprintf(out, "user:         %s\n", a);
}

/* Whether the program came from the filter cache, in one line; an entry
 * that was not trusted says why (it was ignored and the policy compiled). */
static void print_cache(FILE *out, const struct plan *p, const struct filter *f) {
        if (p->filter.cache_off) {
                fprintf(out, "filter cache: off (%s)\n", p->filter.cache_off);
                return;
        }
        if (!p->filter.cache_dir)
                return;
        if (f->cache_hit) {
                fprintf(out, "filter cache: hit, from %s\n", p->filter.cache_dir);
                return;
        }
        fputs("filter cache: ", out);
        if (f->cache_ignored[0])
                fprintf(out, "entry ignored (%s); ", f->cache_ignored);
        else
                fputs("miss; ", out);
        if (f->cache_stored)
                fprintf(out, "compiled, stored in %s\n", p->filter.cache_dir);
        else
                fprintf(out, "compiled, not stored (%s)\n", f->cache_not_stored);
}

static void print_text(FILE *out, const struct plan *p, const struct prepared *pr) {
        const struct filter *filter = &pr->filter;
        char a[96], b[96];
        fprintf(out, "program:      %s\n", p->program);
        if (p->exec_mode == EXEC_MODE_SEALED) {
                fprintf(out, "exec:         sealed copy, execveat(fd %d, \"\", AT_EMPTY_PATH), sha256 ",
                        p->binary_fd);
                if (p->has_sha256)
                        print_sha256(out, p->sha256);
                else
                        fputs("not pinned", out);
                fputc('\n', out);
        } else
                fputs("exec:         by path (execve)\n", out);
        fputs("argv:        ", out);
        for (size_t i = 0; i < p->n_argv; i++)
                fprintf(out, " %s", p->argv[i]);
        fputs("\ninputs:\n", out);
        for (size_t i = 0; i < p->n_fds; i++) {
                const struct plan_fd *f = &p->fds[i];
                if (f->max_size)
                        size_format(f->max_size, a, sizeof(a));
                else
                        snprintf(a, sizeof(a), "none");
                fprintf(out, "  fd %-4d %-12s from ", f->target_fd, f->name);
                if (f->source == INPUT_SOURCE_PATH)
                        fprintf(out, "%s", f->path);
                else
                        fprintf(out, "fd %d", f->source_fd);
                fprintf(out, ", max %s, seals %s\n", a, seals_text(f->seals, b, sizeof(b)));
        }
        if (p->status_fd >= 0)
                fprintf(out, "status fd:    %d (placed at %d, close-on-exec)\n", p->status_fd_source,
                        p->status_fd);
        fputs("env:\n", out);
        for (size_t i = 0; i < p->n_envp; i++)
                fprintf(out, "  %s\n", p->envp[i]);
        fprintf(out, "cwd:          %s\n", p->cwd ? p->cwd : "(unchanged)");
        fputs("rlimits:\n", out);
        for (size_t i = 0; i < p->n_rlimits; i++) {
                limit_text(p->rlimits[i].soft, a, sizeof(a));
                limit_text(p->rlimits[i].hard, b, sizeof(b));
                fprintf(out, "  %-10s soft %s, hard %s\n", rlimit_name(p->rlimits[i].resource), a, b);
        }
        fputs("capabilities: ", out);
        print_caps(out, p->caps_keep, false);
        fprintf(out, "\nlisten-fds:   %s\n", p->listen_fds ? "yes" : "no");
        user_text(out, pr);
        landlock_text(out, p, pr);
        if (p->filter.compiled) {
                fprintf(out,
                        "seccomp:      compiled %s (SHA-256 pin checked), %zu BPF instructions + %zu of the "
                        "launcher's\n",
                        p->filter.compiled, filter->len - filter->prefix_len, filter->prefix_len);
                return;
        }
        if (!filter->bpf) {
                fputs("seccomp:      none\n", out);
                return;
        }
        fprintf(out, "seccomp:      %zu syscalls, %zu rules, %zu BPF instructions, default %s\n",
                filter->syscalls, filter->rules, filter->len - filter->prefix_len,
                policy_action_describe(filter->default_action, a, sizeof(a)));
        print_cache(out, p, filter);
}

static void json_key(FILE *out, const char *key, bool comma) {
        fprintf(out, "%s\"%s\":", comma ? "," : "", key);
}

static void json_strv(FILE *out, char **v, size_t n) {
        fputc('[', out);
        for (size_t i = 0; i < n; i++) {
                fputs(i ? "," : "", out);
                json_string_write(out, v[i]);
        }
        fputc(']', out);
}

static void json_inputs(FILE *out, const struct plan *p) {
        char buf[96];
        fputc('[', out);
        for (size_t i = 0; i < p->n_fds; i++) {
                const struct plan_fd *f = &p->fds[i];
                fprintf(out, "%s{\"name\":", i ? "," : "");
                json_string_write(out, f->name);
                fprintf(out, ",\"fd\":%d,", f->target_fd);
                if (f->source == INPUT_SOURCE_PATH) {
                        fputs("\"path\":", out);
                        json_string_write(out, f->path);
                } else
                        fprintf(out, "\"source_fd\":%d", f->source_fd);
                fprintf(out, ",\"max_size\":%" PRIu64 ",\"seals\":", f->max_size);
                json_string_write(out, seals_text(f->seals, buf, sizeof(buf)));
                fputc('}', out);
        }
        fputc(']', out);
}

static void json_landlock(FILE *out, const struct plan *p, const struct prepared *pr) {
        const struct landlock_spec *s = &p->landlock_spec;
        char a[400];
        if (!s->present) {
                fputs("null", out);
                return;
        }
        fprintf(out, "{\"best_effort\":%s,\"status\":%s,\"paths\":[", s->best_effort ? "true" : "false",
                pr->landlock_status ? pr->landlock_status : "null");
        for (size_t i = 0; i < s->n_paths; i++) {
                fprintf(out, "%s{\"grant\":\"%s\",\"path\":", i ? "," : "",
                        landlock_grant_name(s->paths[i].grant));
                json_string_write(out, s->paths[i].path);
                fprintf(out, ",\"rights\":\"%s\"}",
                        landlock_rights_text('f', pr->landlock_rights ? pr->landlock_rights[i] : 0, a,
                                             sizeof(a)));
        }
        fputs("],\"ports\":[", out);
        for (size_t i = 0; i < s->n_ports; i++)
                fprintf(out, "%s{\"access\":\"%s\",\"port\":%u}", i ? "," : "",
                        s->ports[i].access == LL_NET_BIND_TCP ? "bind-tcp" : "connect-tcp",
                        (unsigned) s->ports[i].port);
        fputs("]}", out);
}

static void json_user(FILE *out, const struct prepared *pr) {
        if (!pr->user.change) {
                fputs("null", out);
                return;
        }
        fprintf(out, "{\"uid\":%u,\"gid\":%u,\"groups\":[", (unsigned) pr->user.uid, (unsigned) pr->user.gid);
        for (size_t i = 0; i < pr->user.n_groups; i++)
                fprintf(out, "%s%u", i ? "," : "", (unsigned) pr->user.groups[i]);
        fputs("]}", out);
}

static void json_string_or_null(FILE *out, const char *s) {
        if (s && s[0])
                json_string_write(out, s);
        else
                fputs("null", out);
}

/* "cache": {"dir", "off", "hit", "ignored", "stored", "not_stored"}. */
static void print_cache_json(FILE *out, const struct plan *p, const struct filter *f) {
        fputs(",\"cache\":{\"dir\":", out);
        json_string_or_null(out, p->filter.cache_dir);
        fputs(",\"off\":", out);
        json_string_or_null(out, p->filter.cache_off);
        fprintf(out, ",\"hit\":%s,\"ignored\":", f->cache_hit ? "true" : "false");
        json_string_or_null(out, f->cache_ignored);
        fprintf(out, ",\"stored\":%s,\"not_stored\":", f->cache_stored ? "true" : "false");
        json_string_or_null(
                out, p->filter.cache_dir && !f->cache_hit && !f->cache_stored ? f->cache_not_stored : NULL);
        fputc('}', out);
}

static void print_json(FILE *out, const struct plan *p, const struct prepared *pr) {
        const struct filter *filter = &pr->filter;
        char buf[96];
        fputs("{\"program\":", out);
        json_string_write(out, p->program);
        json_key(out, "exec", true);
        json_string_write(out, p->exec_mode == EXEC_MODE_SEALED ? "sealed" : "path");
        fprintf(out, ",\"binary_fd\":%d,\"sha256\":", p->binary_fd);
        if (p->has_sha256) {
                fputc('"', out);
                print_sha256(out, p->sha256);
                fputc('"', out);
        } else
                fputs("null", out);
        json_key(out, "argv", true);
        json_strv(out, p->argv, p->n_argv);
        json_key(out, "inputs", true);
        json_inputs(out, p);
        fprintf(out, ",\"status_fd\":%d", p->status_fd);
        json_key(out, "env", true);
        json_strv(out, p->envp, p->n_envp);
        json_key(out, "cwd", true);
        if (p->cwd)
                json_string_write(out, p->cwd);
        else
                fputs("null", out);
        json_key(out, "rlimits", true);
        fputc('{', out);
        for (size_t i = 0; i < p->n_rlimits; i++) {
                fprintf(out, "%s\"%s\":{\"soft\":", i ? "," : "", rlimit_name(p->rlimits[i].resource));
                limit_text(p->rlimits[i].soft, buf, sizeof(buf));
                fprintf(out, p->rlimits[i].soft == UINT64_MAX ? "\"%s\"" : "%s", buf);
                limit_text(p->rlimits[i].hard, buf, sizeof(buf));
                fprintf(out, p->rlimits[i].hard == UINT64_MAX ? ",\"hard\":\"%s\"}" : ",\"hard\":%s}", buf);
        }
        fputc('}', out);
        json_key(out, "capabilities", true);
        fputc('[', out);
        print_caps(out, p->caps_keep, true);
        fputc(']', out);
        fprintf(out, ",\"listen_fds\":%s,\"user\":", p->listen_fds ? "true" : "false");
        json_user(out, pr);
        fputs(",\"landlock\":", out);
        json_landlock(out, p, pr);
        fputs(",\"seccomp\":", out);
        if (p->filter.compiled) {
                fputs("{\"compiled\":", out);
                json_string_write(out, p->filter.compiled);
                fprintf(out, ",\"bpf_instructions\":%zu,\"launcher_instructions\":%zu}",
                        filter->len - filter->prefix_len, filter->prefix_len);
        } else if (!filter->bpf)
                fputs("null", out);
        else {
                fprintf(out, "{\"syscalls\":%zu,\"rules\":%zu,\"bpf_instructions\":%zu,\"default_action\":",
                        filter->syscalls, filter->rules, filter->len - filter->prefix_len);
                json_string_write(out, policy_action_describe(filter->default_action, buf, sizeof(buf)));
                print_cache_json(out, p, filter);
                fputc('}', out);
        }
        fputs("}\n", out);
}

void dry_run_print(FILE *out, const struct plan *p, const struct prepared *pr, bool json) {
        if (json)
                print_json(out, p, pr);
        else
                print_text(out, p, pr);
}
