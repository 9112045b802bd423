/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Docker/OCI seccomp profiles (the JSON runc, crun and containerd read) as
 * seccomp policy text in minijail's language (sealrun.policy(5)).
 *
 * Pure: the profile comes in as text, the policy goes out as text; the only
 * output besides is one note per thing dropped (an architecture, a name
 * libseccomp does not know, an entry the capabilities exclude), written to
 * `notes`.  The meaning follows moby's profile loader and runc's filter
 * builder (see sealrun.policy(5), IMPORTED POLICIES).
 */
#ifndef SEALRUN_IMPORT_DOCKER_H
#define SEALRUN_IMPORT_DOCKER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct import_docker_options {
        const char *source_name; /* named in the policy's first comment */
        const char *const *caps; /* the bounding set includes/excludes test, "CAP_SYS_ADMIN" */
        size_t n_caps;
        unsigned kernel[3]; /* what minKernel compares against: {6, 18, 0} */
};

/* 0 and *ret_text (malloc'ed policy text); -EINVAL and *ret_error (malloc'ed
 * "JSON-PATH: message", or "LINE:COL: message" for malformed JSON) when the
 * profile cannot be converted; -ENOMEM.  notes may be NULL. */
int import_docker(const char *json, size_t len, const struct import_docker_options *o, FILE *notes,
                  char **ret_text, char **ret_error);

/* "6.18.0-rc1" -> {6, 18, 0}; "4.8" -> {4, 8, 0}.  0 or -EINVAL. */
int import_kernel_version_parse(const char *text, unsigned ret[3]);

#endif
