/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pipeline stage: prepare.  Not written yet. */
typedef int prepare_stage_placeholder;
