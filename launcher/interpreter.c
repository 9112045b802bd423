/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The interpreter execve(2) runs for a file, see interpreter.h. */
#include "interpreter.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

static int read_at(int fd, void *buf, size_t size, off_t offset) {
        ssize_t n = pread(fd, buf, size, offset);
        if (n < 0)
                return -errno;
        return (size_t) n == size ? 0 : -ENOEXEC;
}

/* Only the native class: the interpreter of a 64-bit program. */
static int elf_interp(int fd, char *buf, size_t size) {
        Elf64_Ehdr eh;
        if (read_at(fd, &eh, sizeof(eh), 0) < 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
            eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr))
                return 0;
        for (unsigned i = 0; i < eh.e_phnum; i++) {
                Elf64_Phdr ph;
                int r = read_at(fd, &ph, sizeof(ph), (off_t) (eh.e_phoff + (uint64_t) i * sizeof(ph)));
                if (r < 0)
                        return r;
                if (ph.p_type != PT_INTERP)
                        continue;
                if (ph.p_filesz < 2 || ph.p_filesz > size)
                        return -ENAMETOOLONG;
                if ((r = read_at(fd, buf, ph.p_filesz, (off_t) ph.p_offset)) < 0)
                        return r;
                buf[ph.p_filesz - 1] = '\0';
                return (int) strlen(buf);
        }
        return 0;
}

/* "#!/bin/sh -e": the first word after #!, as binfmt_script takes it. */
static int script_interp(int fd, char *buf, size_t size) {
        char line[256];
        ssize_t n = pread(fd, line, sizeof(line) - 1, 0);
        if (n < 2 || line[0] != '#' || line[1] != '!')
                return n < 0 ? -errno : 0;
        line[n] = '\0';
        char *start = line + 2 + strspn(line + 2, " \t");
        size_t len = strcspn(start, " \t\n");
        if (len == 0 || len >= size)
                return len ? -ENAMETOOLONG : 0;
        memcpy(buf, start, len);
        buf[len] = '\0';
        return (int) len;
}

int interpreter_read(const char *path, char *buf, size_t size) {
        /* Opening a device can act (a tape rewinds, a watchdog starts): a
         * regular file only, checked before the open and again after. */
        struct stat before;
        if (stat(path, &before) < 0)
                return -errno;
        if (!S_ISREG(before.st_mode))
                return 0;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return 0;
        int r = elf_interp(fd, buf, size);
        return r ? r : script_interp(fd, buf, size);
}
