/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Value -> names of one family, for diagnostics and the syscall-argument
 * decoder (constants.h).  The table is sorted by name, so a family (a
 * prefix) is one contiguous range of it. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "constants.h"
#include "constants_table.h"

#define FAMILY_PREFIX_MAX 64

struct family {
        char prefix[FAMILY_PREFIX_MAX];
        size_t len;
        bool strict;            /* the prefix has no trailing '_': members have no further '_' */
        const char *exclusions; /* the spec after the prefix: " -F_SEAL_ -F_OK" */
        size_t begin, end;
};

/* The first index whose name is not before prefix in strcmp order. */
static size_t lower_bound(const char *prefix) {
        size_t lo = 0, hi = policy_constant_table_size;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(policy_named_constant_name(&policy_constant_table[mid]), prefix) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* "PREFIX -EXCLUDED..." -> the range of names starting with PREFIX.  A
 * prefix too long for any name gives an empty family. */
static struct family family_parse(const char *spec) {
        struct family f = {.len = strcspn(spec, " ")};
        f.exclusions = spec + f.len;
        if (f.len >= sizeof(f.prefix))
                return f;
        memcpy(f.prefix, spec, f.len);
        f.prefix[f.len] = '\0';
        f.strict = f.len > 0 && spec[f.len - 1] != '_';
        f.begin = f.end = lower_bound(f.prefix);
        while (f.end < policy_constant_table_size &&
               !strncmp(policy_named_constant_name(&policy_constant_table[f.end]), f.prefix, f.len))
                f.end++;
        return f;
}

static bool is_excluded(const struct family *f, const char *name) {
        for (const char *at = f->exclusions; (at = strchr(at, '-')); at++) {
                size_t n = strcspn(at + 1, " ");
                if (n > 0 && !strncmp(name, at + 1, n))
                        return true;
        }
        return false;
}

static bool is_member(const struct family *f, size_t i) {
        const char *name = policy_named_constant_name(&policy_constant_table[i]);
        return (!f->strict || !strchr(name + f->len, '_')) && !is_excluded(f, name);
}

size_t policy_constant_names_of(const char *family, uint64_t value, const char **ret_names, size_t max) {
        struct family f = family_parse(family);
        size_t count = 0;
        /* Two passes: names defined by a value, then aliases. */
        for (int alias = 0; alias <= 1; alias++)
                for (size_t i = f.begin; i < f.end; i++) {
                        const struct policy_named_constant *c = &policy_constant_table[i];
                        if (c->value != value || c->is_alias != alias || !is_member(&f, i))
                                continue;
                        if (count < max)
                                ret_names[count] = policy_named_constant_name(c);
                        count++;
                }
        return count;
}

const char *policy_constant_name_of(const char *family, uint64_t value) {
        const char *name = NULL;
        return policy_constant_names_of(family, value, &name, 1) ? name : NULL;
}

const char *policy_errno_name(uint32_t e) {
        const char *alias = NULL;
        for (size_t i = 0; i < policy_constant_table_size; i++) {
                const struct policy_named_constant *c = &policy_constant_table[i];
                if (!c->is_errno || c->value != e)
                        continue;
                if (!c->is_alias)
                        return policy_named_constant_name(c);
                if (!alias)
                        alias = policy_named_constant_name(c);
        }
        return alias;
}

static bool ends_with(const char *s, const char *suffix) {
        size_t n = strlen(s), m = strlen(suffix);
        return n >= m && !strcmp(s + n - m, suffix);
}

/* Whether candidate a names a flag better than b (NULL b: any a is). */
static bool better_flag(const struct policy_named_constant *a, const struct policy_named_constant *b) {
        if (!b)
                return true;
        int bits_a = __builtin_popcountll(a->value), bits_b = __builtin_popcountll(b->value);
        if (bits_a != bits_b)
                return bits_a > bits_b;
        return !a->is_alias && b->is_alias; /* same rank: the earlier name stays */
}

/* The best name whose bits all lie in remaining, or NULL. */
static const struct policy_named_constant *best_flag(const struct family *f, uint64_t remaining) {
        const struct policy_named_constant *best = NULL;
        for (size_t i = f->begin; i < f->end; i++) {
                const struct policy_named_constant *c = &policy_constant_table[i];
                if (c->value == 0 || (c->value & ~remaining) || !is_member(f, i) ||
                    ends_with(policy_named_constant_name(c), "_MASK") ||
                    ends_with(policy_named_constant_name(c), "_SHIFT"))
                        continue;
                if (better_flag(c, best))
                        best = c;
        }
        return best;
}

void policy_constant_decompose(const char *family, uint64_t value, struct policy_flag_names *ret) {
        struct family f = family_parse(family);
        uint64_t values[POLICY_FLAG_NAMES_MAX];
        *ret = (struct policy_flag_names){0};
        if (value == 0) {
                ret->n = policy_constant_names_of(family, 0, ret->names, 1) ? 1 : 0;
                return;
        }
        uint64_t remaining = value;
        const struct policy_named_constant *c;
        /* Each pick removes at least one bit: at most 64 rounds. */
        while (remaining && (c = best_flag(&f, remaining))) {
                size_t at = ret->n++;
                /* Insertion keeps the names ascending by value. */
                while (at > 0 && values[at - 1] > c->value) {
                        values[at] = values[at - 1];
                        ret->names[at] = ret->names[at - 1];
                        at--;
                }
                values[at] = c->value;
                ret->names[at] = policy_named_constant_name(c);
                remaining &= ~c->value;
        }
        ret->unnamed = remaining;
}

/* snprintf at buf + used, counting what would be written past the end too. */
static size_t append(char *buf, size_t size, size_t used, const char *text, uint64_t number, bool hex) {
        char *at = used < size ? buf + used : NULL;
        size_t room = used < size ? size - used : 0;
        int n = hex ? snprintf(at, room, "%s%#llx", text, (unsigned long long) number)
                    : snprintf(at, room, "%s", text);
        return used + (n > 0 ? (size_t) n : 0);
}

size_t policy_flag_names_format(const struct policy_flag_names *f, char *buf, size_t size) {
        size_t used = 0;
        if (size > 0)
                buf[0] = '\0';
        for (size_t i = 0; i < f->n; i++) {
                if (i > 0)
                        used = append(buf, size, used, "|", 0, false);
                used = append(buf, size, used, f->names[i], 0, false);
        }
        if (f->unnamed)
                used = append(buf, size, used, f->n ? "|" : "", f->unnamed, true);
        else if (f->n == 0)
                used = append(buf, size, used, "0", 0, false);
        return used;
}
