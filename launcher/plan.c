/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pipeline stage: plan.  Not written yet. */
typedef int plan_stage_placeholder;
