/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A real LISTEN_FDS consumer: libsystemd's sd_listen_fds_with_names(), then
 * the first line of each fd.  Prints "listen N" and "listen fd FD name NAME
 * line LINE". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

int main(void) {
        char **names = NULL;
        int n = sd_listen_fds_with_names(1, &names);
        printf("listen %d\n", n);
        for (int i = 0; i < n; i++) {
                char buf[256] = "";
                ssize_t len = pread(SD_LISTEN_FDS_START + i, buf, sizeof(buf) - 1, 0);
                if (len > 0)
                        buf[strcspn(buf, "\n")] = '\0';
                printf("listen fd %d name %s line %s\n", SD_LISTEN_FDS_START + i, names ? names[i] : "?",
                       buf);
        }
        printf("listen_env %s\n", getenv("LISTEN_FDS") ? "kept" : "unset");
        return n > 0 ? 0 : 1;
}
