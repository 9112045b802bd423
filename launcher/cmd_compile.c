/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "commands.h"

int cmd_compile(int argc, char **argv) {
        fprintf(stderr, "sealrun: 'compile' is not implemented yet\n");
        return EXIT_LAUNCHER_FAILED;
}
