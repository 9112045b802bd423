/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading JSON for the Docker profile importer (json-c): typed access that
 * names the JSON path in every error, notes, and the parse itself. */
#ifndef SEALRUN_IMPORT_DOCKER_JSON_H
#define SEALRUN_IMPORT_DOCKER_JSON_H

#include <json-c/json.h>
#include <stdint.h>

#include "docker_internal.h"

/* ".syscalls[3].args[0]", built as the reader descends. */
struct json_path {
        char text[200];
        size_t len;
};

/* Appends ".key" or "[i]" and returns the old length, for profile_path_pop(). */
size_t profile_path_push(struct json_path *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void profile_path_pop(struct json_path *path, size_t old);

/* One line to p->notes (if any), sanitized. */
void profile_note(struct docker_profile *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A member; JSON null counts as absent, as for Go's decoder. */
struct json_object *profile_member(struct json_object *obj, const char *key);
/* 0, or the error "PATH: expected TYPE, not TYPE". */
int profile_expect(struct docker_profile *p, const struct json_path *path, struct json_object *o,
                   json_type t);
/* An unsigned integer of at most max. */
int profile_read_uint(struct docker_profile *p, const struct json_path *path, struct json_object *o,
                      uint64_t max, uint64_t *ret);
int profile_read_string(struct docker_profile *p, const struct json_path *path, struct json_object *o,
                        const char **ret);
/* Calls each(p, path, string, userdata) for each element of a string array. */
typedef int (*profile_string_fn)(struct docker_profile *p, const struct json_path *path, const char *s,
                                 void *userdata);
int profile_each_string(struct docker_profile *p, struct json_path *path, struct json_object *array,
                        profile_string_fn each, void *userdata);

/* The whole text as one JSON value; malformed JSON is -EINVAL with
 * *ret_error "LINE:COL: malformed JSON: ...". */
int profile_parse_json(const char *json, size_t len, struct json_object **ret, char **ret_error);

#endif
