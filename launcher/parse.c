/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pipeline stage: parse.  Not written yet. */
typedef int parse_stage_placeholder;
