/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checks of the caller's fds before the prepare stage reads any. */
#ifndef SEALRUN_PREPARE_FDS_H
#define SEALRUN_PREPARE_FDS_H

#include "error.h"
#include "plan.h"

/* The status fd is open for writing; no input's source is the status
 * fd's file; no stream is the source of two inputs.  0 or -errno with e
 * set (exit 125). */
int prepare_check_fds(const struct plan *p, struct launch_error *e);

#endif
