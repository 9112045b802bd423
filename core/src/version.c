/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sealfd.h"

const char *sealfd_version(void) {
        return SEALRUN_VERSION;
}
