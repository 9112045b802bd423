/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a Docker/OCI seccomp profile with json-c into the importer's
 * model.  Every field is checked for its type; every error names its JSON
 * path (".syscalls[3].args[0].op").  What an entry means is moby's
 * (profiles/seccomp: includes/excludes, name/names) and runc's
 * (libcontainer/seccomp: actions, errnoRet defaults, operators). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "docker_json.h"

/* ---- actions ---- */

static const struct policy_action_word docker_actions[] = {
        /* runc: SCMP_ACT_KILL is libseccomp's ActKillThread. */
        {"SCMP_ACT_KILL", POLICY_ACTION_KILL_THREAD},
        {"SCMP_ACT_KILL_THREAD", POLICY_ACTION_KILL_THREAD},
        {"SCMP_ACT_KILL_PROCESS", POLICY_ACTION_KILL_PROCESS},
        {"SCMP_ACT_TRAP", POLICY_ACTION_TRAP},
        {"SCMP_ACT_ERRNO", POLICY_ACTION_ERRNO},
        {"SCMP_ACT_TRACE", POLICY_ACTION_TRACE},
        {"SCMP_ACT_ALLOW", POLICY_ACTION_ALLOW},
        {"SCMP_ACT_LOG", POLICY_ACTION_LOG},
        {"SCMP_ACT_NOTIFY", POLICY_ACTION_USER_NOTIFY},
};

/* runc's getAction(): errnoRet is the errno of SCMP_ACT_ERRNO and the
 * message of SCMP_ACT_TRACE, EPERM (1) for both when absent. */
static int read_action(struct docker_profile *p, struct json_path *path, struct json_object *obj,
                       const char *key, const char *errno_key, struct policy_action *ret) {
        size_t old = profile_path_push(path, ".%s", key);
        struct json_object *o = profile_member(obj, key);
        const char *name = NULL;
        int r = o ? profile_read_string(p, path, o, &name)
                  : docker_fail(p, path->text, "missing (an SCMP_ACT_* name)");
        if (r >= 0 &&
            policy_action_word_lookup(docker_actions, sizeof(docker_actions) / sizeof(docker_actions[0]),
                                      name, ret) < 0)
                r = docker_fail(p, path->text,
                                "unknown action '%s' (expected SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...)", name);
        profile_path_pop(path, old);
        if (r < 0)
                return r;
        bool takes_value = ret->type == POLICY_ACTION_ERRNO || ret->type == POLICY_ACTION_TRACE;
        uint64_t v = 1;
        old = profile_path_push(path, ".%s", errno_key);
        /* libseccomp 2.5.4 refuses SCMP_ACT_ERRNO(4095), so runc does too. */
        if ((o = profile_member(obj, errno_key)) && takes_value)
                r = profile_read_uint(p, path, o, 4094, &v);
        if (r >= 0 && takes_value && ret->type == POLICY_ACTION_TRACE && v != 0)
                r = docker_fail(p, path->text,
                                "SCMP_ACT_TRACE with message %llu: sealrun's trace action sends message 0 "
                                "(runc's default is 1; give \"%s\": 0)",
                                (unsigned long long) v, errno_key);
        profile_path_pop(path, old);
        ret->value = takes_value ? (uint32_t) v : 0;
        return r;
}

/* ---- architectures ---- */

struct arch_names {
        uint32_t scmp;
        const char *token; /* SCMP_ARCH_* without the prefix, lowercase */
        const char *go;    /* moby's name in includes/excludes.arches (goToNative) */
};

static const struct arch_names arch_table[] = {
        {SCMP_ARCH_X86_64, "x86_64", "amd64"},
        {SCMP_ARCH_X86, "x86", "x86"},
        {SCMP_ARCH_X32, "x32", "x32"},
        {SCMP_ARCH_AARCH64, "aarch64", "arm64"},
        {SCMP_ARCH_ARM, "arm", "arm"},
        {SCMP_ARCH_PPC64LE, "ppc64le", "ppc64le"},
        {SCMP_ARCH_PPC64, "ppc64", "ppc64"},
        {SCMP_ARCH_PPC, "ppc", "ppc"},
        {SCMP_ARCH_S390X, "s390x", "s390x"},
        {SCMP_ARCH_S390, "s390", "s390"},
        {SCMP_ARCH_RISCV64, "riscv64", "riscv64"},
};

static const struct arch_names *native_arch(void) {
        uint32_t a = seccomp_arch_native();
        for (size_t i = 0; i < sizeof(arch_table) / sizeof(arch_table[0]); i++)
                if (arch_table[i].scmp == a)
                        return &arch_table[i];
        return &arch_table[0];
}

struct arch_state {
        bool listed_native;
        bool any;
        bool quiet; /* an archMap entry of another architecture: checked, not noted */
};

/* "SCMP_ARCH_X86" is kept when native, otherwise named as dropped. */
static int arch_seen(struct docker_profile *p, const struct json_path *path, const char *s, void *userdata) {
        struct arch_state *st = userdata;
        const char *token = !strncmp(s, "SCMP_ARCH_", 10) ? s + 10 : "";
        char lower[32] = "";
        for (size_t i = 0; token[i] && i + 1 < sizeof(lower); i++)
                lower[i] = (char) (token[i] >= 'A' && token[i] <= 'Z' ? token[i] - 'A' + 'a' : token[i]);
        if (!*lower || !seccomp_arch_resolve_name(lower))
                return docker_fail(p, path->text,
                                   "unknown architecture '%s' (expected SCMP_ARCH_X86_64, ...)", s);
        st->any = true;
        if (!strcmp(lower, native_arch()->token))
                st->listed_native = true;
        else if (!st->quiet)
                profile_note(
                        p,
                        "dropped architecture %s (%s): sealrun filters the native ABI only, and kills calls "
                        "through any other",
                        s, path->text);
        return 0;
}

/* `architectures` (OCI) or `archMap` (Docker: the entry of the native
 * architecture, with its subArchitectures); never both (moby refuses). */
static int read_arches(struct docker_profile *p, struct json_path *path, struct json_object *root) {
        struct json_object *list = profile_member(root, "architectures"),
                           *map = profile_member(root, "archMap");
        struct arch_state st = {};
        int r = 0;
        if (list && map && json_object_get_type(list) == json_type_array && json_object_array_length(list) &&
            json_object_get_type(map) == json_type_array && json_object_array_length(map))
                return docker_fail(p, path->text,
                                   "both 'architectures' and 'archMap' (moby takes one or the other)");
        if (list) {
                size_t old = profile_path_push(path, ".architectures");
                r = profile_each_string(p, path, list, arch_seen, &st);
                profile_path_pop(path, old);
        }
        size_t old = profile_path_push(path, ".archMap");
        if (r >= 0 && map)
                r = profile_expect(p, path, map, json_type_array);
        for (size_t i = 0; r >= 0 && map && i < json_object_array_length(map); i++) {
                size_t o2 = profile_path_push(path, "[%zu]", i);
                struct json_object *e = json_object_array_get_idx(map, i), *v;
                const char *arch = NULL;
                r = profile_expect(p, path, e, json_type_object);
                size_t o3 = profile_path_push(path, ".architecture");
                if (r >= 0)
                        r = (v = profile_member(e, "architecture")) ? profile_read_string(p, path, v, &arch)
                                                                    : docker_fail(p, path->text, "missing");
                struct arch_state main_arch = {.quiet = true};
                if (r >= 0)
                        r = arch_seen(p, path, arch, &main_arch);
                profile_path_pop(path, o3);
                /* moby reads only the native architecture's entry. */
                struct arch_state sub = {.quiet = !main_arch.listed_native};
                o3 = profile_path_push(path, ".subArchitectures");
                if (r >= 0 && (v = profile_member(e, "subArchitectures")))
                        r = profile_each_string(p, path, v, arch_seen, &sub);
                st.any = true;
                st.listed_native |= main_arch.listed_native;
                profile_path_pop(path, o3);
                profile_path_pop(path, o2);
        }
        profile_path_pop(path, old);
        if (r >= 0 && st.any && !st.listed_native)
                profile_note(
                        p,
                        "the profile's architectures do not list the native one (%s); libseccomp (and runc) "
                        "filter it anyway, and so does the imported policy",
                        native_arch()->token);
        return r;
}

/* ---- args ---- */

static const struct {
        const char *name;
        enum atom_op op;
} docker_ops[] = {
        {"SCMP_CMP_EQ", ATOM_EQ}, {"SCMP_CMP_NE", ATOM_NE}, {"SCMP_CMP_LT", ATOM_LT},
        {"SCMP_CMP_LE", ATOM_LE}, {"SCMP_CMP_GT", ATOM_GT}, {"SCMP_CMP_GE", ATOM_GE},
};

static int add_atom(struct clause *c, unsigned arg, enum atom_op op, uint64_t value) {
        struct atom *t = realloc(c->atoms, (c->n_atoms + 1) * sizeof(*t));
        if (!t)
                return -ENOMEM;
        c->atoms = t;
        c->atoms[c->n_atoms++] = (struct atom){.arg = arg, .op = op, .value = value};
        return 0;
}

/* (arg & mask) == datum, as libseccomp compiles it: the datum is masked
 * first, so bits of valueTwo outside value are ignored.  That is "each bit
 * of the datum set" (one `&` per bit) and "no bit of the mask outside the
 * datum set" (`in ~rest`): always sayable in minijail's language. */
static int add_masked_eq(struct clause *c, unsigned arg, uint64_t mask, uint64_t datum) {
        datum &= mask;
        int r = 0;
        for (unsigned b = 0; r >= 0 && b < 64; b++)
                if (datum & (UINT64_C(1) << b))
                        r = add_atom(c, arg, ATOM_ANY_BITS, UINT64_C(1) << b);
        if (r >= 0 && (mask & ~datum))
                r = add_atom(c, arg, ATOM_IN, ~(mask & ~datum));
        return r;
}

static int read_op(struct docker_profile *p, struct json_path *path, struct json_object *arg,
                   bool *ret_masked, enum atom_op *ret_op) {
        size_t old = profile_path_push(path, ".op");
        struct json_object *o = profile_member(arg, "op");
        const char *name = NULL;
        int r = o ? profile_read_string(p, path, o, &name)
                  : docker_fail(p, path->text, "missing (an SCMP_CMP_* name)");
        if (r >= 0 && !strcmp(name, "SCMP_CMP_MASKED_EQ")) {
                *ret_masked = true;
                name = NULL;
        }
        for (size_t i = 0; r >= 0 && name && i < sizeof(docker_ops) / sizeof(docker_ops[0]); i++)
                if (!strcmp(name, docker_ops[i].name)) {
                        *ret_op = docker_ops[i].op;
                        name = NULL;
                }
        if (r >= 0 && name)
                r = docker_fail(
                        p, path->text,
                        "unknown operator '%s' (expected SCMP_CMP_EQ, _NE, _LT, _LE, _GT, _GE or _MASKED_EQ)",
                        name);
        profile_path_pop(path, old);
        return r;
}

static int read_field_uint(struct docker_profile *p, struct json_path *path, struct json_object *obj,
                           const char *key, bool required, uint64_t max, uint64_t *ret) {
        size_t old = profile_path_push(path, ".%s", key);
        struct json_object *o = profile_member(obj, key);
        int r = o          ? profile_read_uint(p, path, o, max, ret)
                : required ? docker_fail(p, path->text, "missing")
                           : 0;
        profile_path_pop(path, old);
        return r;
}

/* One element of args[] into the conjunction c; *ret_index for runc's
 * "same index twice" rule. */
static int read_arg(struct docker_profile *p, struct json_path *path, struct json_object *arg,
                    struct clause *c, unsigned *ret_index) {
        uint64_t index = 0, value = 0, value_two = 0;
        bool masked = false;
        enum atom_op op = ATOM_EQ;
        int r = profile_expect(p, path, arg, json_type_object);
        if (r >= 0)
                r = read_field_uint(p, path, arg, "index", true, POLICY_MAX_ARGS - 1, &index);
        if (r >= 0)
                r = read_field_uint(p, path, arg, "value", false, UINT64_MAX, &value);
        if (r >= 0)
                r = read_field_uint(p, path, arg, "valueTwo", false, UINT64_MAX, &value_two);
        if (r >= 0)
                r = read_op(p, path, arg, &masked, &op);
        if (r < 0)
                return r;
        *ret_index = (unsigned) index;
        if (masked)
                return add_masked_eq(c, (unsigned) index, value, value_two);
        return add_atom(c, (unsigned) index, op, value);
}

static void clauses_free(struct clause *c, size_t n) {
        for (size_t i = 0; c && i < n; i++)
                free(c[i].atoms);
        free(c);
}

/* runc's matchCall(): the args of an entry are one rule (ANDed), unless one
 * index appears twice: then each arg is a rule of its own (ORed). */
static int read_args(struct docker_profile *p, struct json_path *path, struct json_object *args,
                     struct docker_entry *e) {
        size_t n = args ? json_object_array_length(args) : 0;
        unsigned seen[POLICY_MAX_ARGS] = {};
        bool twice = false;
        struct clause *alts = calloc(n ? n : 1, sizeof(*alts));
        if (!alts)
                return -ENOMEM;
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n; i++) {
                size_t old = profile_path_push(path, "[%zu]", i);
                unsigned index = 0;
                r = read_arg(p, path, json_object_array_get_idx(args, i), &alts[i], &index);
                twice |= r >= 0 && seen[index]++;
                profile_path_pop(path, old);
        }
        if (r >= 0 && !twice && n > 1)
                for (size_t i = 1; r >= 0 && i < n; i++)
                        for (size_t k = 0; r >= 0 && k < alts[i].n_atoms; k++)
                                r = add_atom(&alts[0], alts[i].atoms[k].arg, alts[i].atoms[k].op,
                                             alts[i].atoms[k].value);
        if (r < 0) {
                clauses_free(alts, n);
                return r;
        }
        for (size_t i = twice ? n : 1; i < n; i++)
                free(alts[i].atoms);
        e->alts = alts;
        e->n_alts = twice ? n : 1;
        e->unconditional = n == 0;
        return 0;
}

/* ---- includes / excludes (moby's setupSeccomp) ---- */

static bool has_cap(const struct import_docker_options *o, const char *cap) {
        for (size_t i = 0; i < o->n_caps; i++)
                if (!strcmp(o->caps[i], cap))
                        return true;
        return false;
}

struct filter_state {
        bool include; /* includes (every cap, one of the arches) or excludes (any cap, any arch) */
        const char *what;
        bool hit, any;
        char *skipped;
};

static int cap_seen(struct docker_profile *p, const struct json_path *path, const char *cap, void *userdata) {
        struct filter_state *st = userdata;
        bool has = has_cap(p->opts, cap);
        (void) path;
        if (!st->skipped && has != st->include &&
            asprintf(&st->skipped, "%s %s %s the capabilities", st->what, cap,
                     has ? "is among" : "is not among") < 0) {
                st->skipped = NULL;
                return -ENOMEM;
        }
        return 0;
}

static int arch_name_seen(struct docker_profile *p, const struct json_path *path, const char *arch,
                          void *userdata) {
        struct filter_state *st = userdata;
        (void) p, (void) path;
        st->any = true;
        st->hit |= !strcmp(arch, native_arch()->go);
        return 0;
}

static int kernel_at_least(struct docker_profile *p, const struct json_path *path, struct json_object *o,
                           bool *ret) {
        const char *text;
        unsigned v[3];
        int r = profile_read_string(p, path, o, &text);
        if (r >= 0 && import_kernel_version_parse(text, v) < 0)
                r = docker_fail(p, path->text, "expected a kernel version such as \"4.8\", not '%s'", text);
        if (r < 0)
                return r;
        const unsigned *k = p->opts->kernel;
        *ret = k[0] != v[0] ? k[0] > v[0] : k[1] != v[1] ? k[1] > v[1] : k[2] >= v[2];
        return 0;
}

/* Sets *ret_skipped (malloc'ed reason) when the entry does not apply. */
static int read_filter(struct docker_profile *p, struct json_path *path, struct json_object *entry,
                       bool include, char **ret_skipped) {
        const char *key = include ? "includes" : "excludes";
        struct json_object *obj = profile_member(entry, key), *v = NULL;
        size_t old = profile_path_push(path, ".%s", key);
        struct filter_state caps = {.include = include,
                                    .what = include ? "includes.caps:" : "excludes.caps:"};
        struct filter_state arches = {};
        int r = obj ? profile_expect(p, path, obj, json_type_object) : 0;
        size_t o2 = profile_path_push(path, ".arches");
        if (r >= 0 && obj && (v = profile_member(obj, "arches")))
                r = profile_each_string(p, path, v, arch_name_seen, &arches);
        profile_path_pop(path, o2);
        o2 = profile_path_push(path, ".caps");
        if (r >= 0 && obj && (v = profile_member(obj, "caps")))
                r = profile_each_string(p, path, v, cap_seen, &caps);
        profile_path_pop(path, o2);
        o2 = profile_path_push(path, ".minKernel");
        bool newer = false, has_min = r >= 0 && obj && (v = profile_member(obj, "minKernel"));
        if (has_min)
                r = kernel_at_least(p, path, v, &newer);
        profile_path_pop(path, o2);
        profile_path_pop(path, old);
        if (r < 0) {
                free(caps.skipped);
                return r;
        }
        const char *reason = NULL;
        if (arches.any && arches.hit != include)
                reason = include ? "includes.arches: not this architecture"
                                 : "excludes.arches: this architecture";
        else if (!caps.skipped && has_min && newer != include)
                reason = include ? "includes.minKernel: the kernel is older"
                                 : "excludes.minKernel: the kernel is as new";
        if (reason && !caps.skipped && !(caps.skipped = strdup(reason)))
                return -ENOMEM;
        *ret_skipped = caps.skipped;
        return 0;
}

/* ---- names ---- */

struct names_state {
        struct docker_entry *e;
        FILE *unknown; /* the names skipped, for one note an entry */
};

static int name_seen(struct docker_profile *p, const struct json_path *path, const char *name,
                     void *userdata) {
        struct names_state *st = userdata;
        struct docker_entry *e = st->e;
        int nr;
        if (!*name)
                return docker_fail(p, path->text, "an empty syscall name");
        if (policy_syscall_resolve(seccomp_arch_native(), name, &nr) < 0) {
                if (st->unknown)
                        fprintf(st->unknown, " %s", name);
                return 0;
        }
        char **t = realloc(e->names, (e->n_names + 1) * sizeof(*t));
        if (!t)
                return -ENOMEM;
        e->names = t;
        if (!(e->names[e->n_names] = strdup(name)))
                return -ENOMEM;
        e->n_names++;
        return 0;
}

static int read_names(struct docker_profile *p, struct json_path *path, struct json_object *entry,
                      struct docker_entry *e) {
        struct json_object *names = profile_member(entry, "names"), *name = profile_member(entry, "name");
        if (names && name)
                return docker_fail(p, path->text, "both 'name' and 'names' (moby takes one or the other)");
        _cleanup_free_ char *unknown = NULL;
        size_t size = 0;
        struct names_state st = {e, p->notes ? open_memstream(&unknown, &size) : NULL};
        size_t old = profile_path_push(path, names ? ".names" : ".name");
        int r = 0;
        if (names)
                r = profile_each_string(p, path, names, name_seen, &st);
        else if (name) {
                const char *s;
                r = profile_read_string(p, path, name, &s);
                if (r >= 0)
                        r = name_seen(p, path, s, &st);
        }
        if (st.unknown && fclose(st.unknown) == 0 && r >= 0 && size)
                profile_note(p, "%s: skipped, unknown to libseccomp and sealrun on %s:%s", path->text,
                             native_arch()->token, unknown);
        profile_path_pop(path, old);
        return r;
}

/* ---- entries and the profile ---- */

static int read_comment(struct docker_profile *p, struct json_path *path, struct json_object *obj,
                        struct docker_entry *e) {
        struct json_object *v = profile_member(obj, "comment");
        const char *comment = NULL;
        size_t old = profile_path_push(path, ".comment");
        int r = v ? profile_read_string(p, path, v, &comment) : 0;
        profile_path_pop(path, old);
        if (r >= 0 && comment && !(e->comment = strdup(comment)))
                return -ENOMEM;
        return r;
}

static int read_entry(struct docker_profile *p, struct json_path *path, struct json_object *obj,
                      struct docker_entry *e) {
        int r = profile_expect(p, path, obj, json_type_object);
        if (r >= 0)
                r = read_action(p, path, obj, "action", "errnoRet", &e->action);
        if (r >= 0)
                r = read_names(p, path, obj, e);
        struct json_object *args = r >= 0 ? profile_member(obj, "args") : NULL;
        size_t old = profile_path_push(path, ".args");
        if (args)
                r = profile_expect(p, path, args, json_type_array);
        if (r >= 0)
                r = read_args(p, path, args, e);
        profile_path_pop(path, old);
        if (r >= 0)
                r = read_comment(p, path, obj, e);
        if (r >= 0)
                r = read_filter(p, path, obj, false, &e->skipped);
        if (r >= 0 && !e->skipped)
                r = read_filter(p, path, obj, true, &e->skipped);
        e->is_default = policy_action_equal(e->action, p->default_action);
        return r;
}

static int read_syscalls(struct docker_profile *p, struct json_path *path, struct json_object *root) {
        struct json_object *list = profile_member(root, "syscalls");
        size_t old = profile_path_push(path, ".syscalls");
        int r = list ? profile_expect(p, path, list, json_type_array) : 0;
        size_t n = r >= 0 && list ? json_object_array_length(list) : 0;
        if (n && !(p->entries = calloc(n, sizeof(*p->entries))))
                r = -ENOMEM;
        for (size_t i = 0; r >= 0 && i < n; i++) {
                size_t o2 = profile_path_push(path, "[%zu]", i);
                p->entries[i].index = i;
                p->n_entries = i + 1;
                r = read_entry(p, path, json_object_array_get_idx(list, i), &p->entries[i]);
                profile_path_pop(path, o2);
        }
        profile_path_pop(path, old);
        return r;
}

/* Fields runc reads that change nothing sealrun can say. */
static void note_ignored(struct docker_profile *p, struct json_object *root) {
        static const char *const keys[] = {"flags", "listenerPath", "listenerMetadata"};
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                if (profile_member(root, keys[i]))
                        profile_note(p, "ignored .%s: the imported policy has no equivalent", keys[i]);
}

static int read_profile(struct docker_profile *p, struct json_object *root) {
        struct json_path path = {};
        int r = profile_expect(p, &path, root, json_type_object);
        if (r >= 0)
                r = read_action(p, &path, root, "defaultAction", "defaultErrnoRet", &p->default_action);
        if (r >= 0 && p->default_action.type == POLICY_ACTION_USER_NOTIFY)
                r = docker_fail(p, ".defaultAction",
                                "SCMP_ACT_NOTIFY cannot be the default action (runc refuses it)");
        if (r >= 0)
                r = read_arches(p, &path, root);
        if (r >= 0)
                r = read_syscalls(p, &path, root);
        if (r >= 0)
                note_ignored(p, root);
        return r;
}

void docker_profile_done(struct docker_profile *p) {
        for (size_t i = 0; i < p->n_entries; i++) {
                struct docker_entry *e = &p->entries[i];
                for (size_t k = 0; k < e->n_names; k++)
                        free(e->names[k]);
                free(e->names);
                clauses_free(e->alts, e->n_alts);
                free(e->comment);
                free(e->skipped);
        }
        free(p->entries);
        free(p->error);
}

int import_docker(const char *json, size_t len, const struct import_docker_options *o, FILE *notes,
                  char **ret_text, char **ret_error) {
        struct json_object *root = NULL;
        int r = profile_parse_json(json, len, &root, ret_error);
        if (r < 0)
                return r;
        struct docker_profile p = {.notes = notes, .opts = o};
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *out = NULL;
        r = read_profile(&p, root);
        json_object_put(root);
        if (r >= 0 && !(out = open_memstream(&text, &size)))
                r = -ENOMEM;
        if (r >= 0)
                r = docker_write_policy(&p, out);
        if (out && fclose(out) != 0 && r >= 0)
                r = -ENOMEM;
        if (r == -EINVAL) {
                *ret_error = TAKE_PTR(p.error);
                if (!*ret_error)
                        r = -ENOMEM;
        } else if (r >= 0)
                *ret_text = TAKE_PTR(text);
        docker_profile_done(&p);
        return r;
}

int import_kernel_version_parse(const char *text, unsigned ret[3]) {
        unsigned v[3] = {};
        const char *s = text;
        size_t i = 0;
        /* "MAJOR.MINOR[.PATCH]", then anything ("-rc1", "-amd64"). */
        for (; i < 3 && *s >= '0' && *s <= '9'; i++) {
                char *end;
                errno = 0;
                unsigned long n = strtoul(s, &end, 10);
                if (errno || n > 1000000)
                        return -EINVAL;
                v[i] = (unsigned) n;
                s = end;
                if (*s != '.') {
                        i++;
                        break;
                }
                s++;
        }
        if (i < 2)
                return -EINVAL;
        memcpy(ret, v, sizeof(v));
        return 0;
}
