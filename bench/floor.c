/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The two-exec floor: the least any launcher that execs its target can cost.
 * It sets no_new_privs (which every sealrun launch does too) and execs
 * argv[1] with the rest of argv.  Built -static, so the dynamic loader is
 * not part of the floor; any launcher time above this is the launcher's own.
 */
#include <stddef.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
        if (argc < 2)
                return 125;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return 125;
        execv(argv[1], argv + 1);
        return 127;
}
