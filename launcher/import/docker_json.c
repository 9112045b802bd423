/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typed JSON access for the Docker profile importer, every error naming its
 * JSON path; the parse itself, with a depth limit and LINE:COL errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "docker_json.h"

/* json-c's own limit is 32; a profile is 4 levels deep. */
#define DOCKER_JSON_MAX_DEPTH 64

/* Appends ".key" or "[i]" and returns the old length, for profile_path_pop(). */
size_t profile_path_push(struct json_path *path, const char *fmt, ...) {
        size_t old = path->len;
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(path->text + old, sizeof(path->text) - old, fmt, ap);
        va_end(ap);
        if (n > 0)
                path->len = old + (size_t) n < sizeof(path->text) ? old + (size_t) n : sizeof(path->text) - 1;
        return old;
}

void profile_path_pop(struct json_path *path, size_t old) {
        path->len = old;
        path->text[old] = 0;
}

void docker_sanitize(char *s) {
        for (; s && *s; s++)
                if ((unsigned char) *s < 0x20 || (unsigned char) *s > 0x7e || *s == '\\')
                        *s = '?';
}

int docker_fail(struct docker_profile *p, const char *path, const char *fmt, ...) {
        if (p->error)
                return -EINVAL;
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        va_start(ap, fmt);
        int n = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (n < 0 || asprintf(&p->error, "%s: %s", *path ? path : ".", msg) < 0) {
                p->error = NULL;
                return -ENOMEM;
        }
        docker_sanitize(p->error);
        return -EINVAL;
}

void profile_note(struct docker_profile *p, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        if (!p->notes)
                return;
        va_list ap;
        va_start(ap, fmt);
        int n = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (n < 0)
                return; /* a note lost to ENOMEM changes nothing imported */
        docker_sanitize(msg);
        fprintf(p->notes, "%s\n", msg);
}

/* A member; JSON null counts as absent, as for Go's decoder. */
struct json_object *profile_member(struct json_object *obj, const char *key) {
        struct json_object *v = NULL;
        if (!json_object_object_get_ex(obj, key, &v) || json_object_get_type(v) == json_type_null)
                return NULL;
        return v;
}

static const char *type_name(struct json_object *o) {
        return json_type_to_name(json_object_get_type(o));
}

int profile_expect(struct docker_profile *p, const struct json_path *path, struct json_object *o,
                   json_type t) {
        if (json_object_get_type(o) == t)
                return 0;
        return docker_fail(p, path->text, "expected %s, not %s", json_type_to_name(t), type_name(o));
}

/* An unsigned integer of at most max (json-c keeps values above INT64_MAX
 * as unsigned; out-of-range numbers were refused by the tokenizer check). */
int profile_read_uint(struct docker_profile *p, const struct json_path *path, struct json_object *o,
                      uint64_t max, uint64_t *ret) {
        int r = profile_expect(p, path, o, json_type_int);
        if (r < 0)
                return r;
        int64_t s = json_object_get_int64(o);
        if (s < 0)
                return docker_fail(p, path->text, "expected an unsigned integer, not %lld", (long long) s);
        uint64_t v = s == INT64_MAX ? json_object_get_uint64(o) : (uint64_t) s;
        if (v > max)
                return docker_fail(p, path->text, "%llu is above the largest allowed value, %llu",
                                   (unsigned long long) v, (unsigned long long) max);
        *ret = v;
        return 0;
}

int profile_read_string(struct docker_profile *p, const struct json_path *path, struct json_object *o,
                        const char **ret) {
        int r = profile_expect(p, path, o, json_type_string);
        if (r < 0)
                return r;
        *ret = json_object_get_string(o);
        return 0;
}

int profile_each_string(struct docker_profile *p, struct json_path *path, struct json_object *array,
                        profile_string_fn each, void *userdata) {
        int r = profile_expect(p, path, array, json_type_array);
        for (size_t i = 0; r >= 0 && i < json_object_array_length(array); i++) {
                size_t old = profile_path_push(path, "[%zu]", i);
                const char *s;
                r = profile_read_string(p, path, json_object_array_get_idx(array, i), &s);
                if (r >= 0)
                        r = each(p, path, s, userdata);
                profile_path_pop(path, old);
        }
        return r;
}

/* Malformed JSON: "LINE:COL: message" at the tokenizer's stop. */
int profile_parse_json(const char *json, size_t len, struct json_object **ret, char **ret_error) {
        struct json_tokener *tok = json_tokener_new_ex(DOCKER_JSON_MAX_DEPTH);
        if (!tok)
                return -ENOMEM;
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        errno = 0;
        struct json_object *root = len > INT32_MAX ? NULL : json_tokener_parse_ex(tok, json, (int) len);
        enum json_tokener_error err = len > INT32_MAX ? json_tokener_error_size : json_tokener_get_error(tok);
        bool range = errno == ERANGE;
        size_t end = json_tokener_get_parse_end(tok);
        json_tokener_free(tok);
        const char *msg = err == json_tokener_continue  ? "unexpected end of the text"
                          : err != json_tokener_success ? json_tokener_error_desc(err)
                          : end < len && json[end]      ? "text after the JSON value"
                          : range                       ? "a number out of the 64-bit range"
                                                        : NULL;
        if (!msg) {
                *ret = root;
                return 0;
        }
        json_object_put(root);
        unsigned line = 1, col = 1;
        for (size_t i = 0; i < end && i < len; i++, col++)
                if (json[i] == '\n')
                        line++, col = 0;
        return asprintf(ret_error, "%u:%u: malformed JSON: %s", line, col, msg) < 0 ? -ENOMEM : -EINVAL;
}
