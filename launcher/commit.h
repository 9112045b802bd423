/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pipeline stage 4, commit: the irreversible part, in the fixed order
 * commit.c lists.  Never returns: the launcher becomes the target, or it
 * reports (status fd and stderr) and exits 125, 126 or 127. */
#ifndef SEALRUN_COMMIT_H
#define SEALRUN_COMMIT_H

#include "plan.h"
#include "prepare.h"

_Noreturn void commit_run(const struct plan *p, struct prepared *pr);

#endif
