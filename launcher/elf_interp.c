/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PT_INTERP of an ELF executable, see elf_interp.h. */
#include "elf_interp.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

static int read_at(int fd, void *buf, size_t size, off_t offset) {
        ssize_t n = pread(fd, buf, size, offset);
        if (n < 0)
                return -errno;
        return (size_t) n == size ? 0 : -ENOEXEC;
}

/* Only the native class: the interpreter of a 64-bit program. */
int elf_interp_read(const char *path, char *buf, size_t size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
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
