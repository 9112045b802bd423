/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pipeline stage: commit.  Not written yet. */
typedef int commit_stage_placeholder;
