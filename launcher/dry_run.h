/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --dry-run: the plan, the confinement and the seccomp filter built from it
 * (pr->filter, by filter_build(), the builder a run uses) as text or as one
 * JSON document.  Starts nothing, loads no input. */
#ifndef SEALRUN_DRY_RUN_H
#define SEALRUN_DRY_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "plan.h"
#include "prepare.h"

void dry_run_print(FILE *out, const struct plan *p, const struct prepared *pr, bool json);

#endif
