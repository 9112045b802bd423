/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Resource limits by the names workload files use: "nofile" <-> RLIMIT_NOFILE. */
#ifndef SEALRUN_RLIMIT_NAME_H
#define SEALRUN_RLIMIT_NAME_H

/* "?" for a resource without a name. */
const char *rlimit_name(int resource);
/* RLIMIT_*, or -EINVAL. */
int rlimit_from_name(const char *name);

#endif
