/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What makes a sealed copy fail only after the exec, found before it:
 *  - a #! script is read by its interpreter from /dev/fd/BINFD, a link
 *    into /proc: without /proc the interpreter cannot open it, and the
 *    exec has already "succeeded";
 *  - an ELF binary that finds its libraries through $ORIGIN in DT_RUNPATH
 *    or DT_RPATH: run from a memfd, $ORIGIN is no directory, so the loader
 *    fails after the exec (exit 127, which looks like "not found");
 *  - by path too, a file the kernel cannot execute at all (neither ELF nor
 *    #!, and no binfmt_misc handler): its failure would come after the
 *    workload's RLIMIT_FSIZE is set, which may leave no room to say so. */
#include "sealed_checks.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "sealfd.h"

#define STAGE "prepare"

static int check_script_reachable(int fd, const char *thing, struct launch_error *e) {
        char path[32];
        snprintf(path, sizeof(path), "/dev/fd/%d", fd);
        int t = open(path, O_RDONLY | O_CLOEXEC);
        if (t >= 0) {
                close(t);
                return 0;
        }
        return launch_error_set(e, STAGE, errno, thing,
                                "is a #! script, which its interpreter reads from /dev/fd/N, and that cannot "
                                "be opened here (%s; is /proc mounted?): mount /proc, or run it by path "
                                "(without --sealed)",
                                strerror(errno));
}

/* The file offset of virtual address v, through the PT_LOAD segments. */
static bool vaddr_offset(const Elf64_Phdr *ph, size_t n, uint64_t v, uint64_t *ret) {
        for (size_t i = 0; i < n; i++)
                if (ph[i].p_type == PT_LOAD && v >= ph[i].p_vaddr && v - ph[i].p_vaddr < ph[i].p_filesz) {
                        *ret = v - ph[i].p_vaddr + ph[i].p_offset;
                        return true;
                }
        return false;
}

/* The DT_RUNPATH, DT_RPATH (or DT_NEEDED) string that holds $ORIGIN, or NULL.  Only
 * ELF64 of the host's byte order is read (what sealrun can exec); every
 * offset is checked against the size, so a malformed file is no risk. */
static const char *origin_path(const uint8_t *m, size_t size, char *buf, size_t buf_size) {
        const Elf64_Ehdr *eh = (const Elf64_Ehdr *) m;
        if (size < sizeof(*eh) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
            eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
            eh->e_phnum > (size - eh->e_phoff) / sizeof(Elf64_Phdr))
                return NULL;
        const Elf64_Phdr *ph = (const Elf64_Phdr *) (m + eh->e_phoff);
        for (size_t i = 0; i < eh->e_phnum; i++) {
                if (ph[i].p_type != PT_DYNAMIC || ph[i].p_offset > size ||
                    ph[i].p_filesz > size - ph[i].p_offset)
                        continue;
                const Elf64_Dyn *d = (const Elf64_Dyn *) (m + ph[i].p_offset);
                size_t n = ph[i].p_filesz / sizeof(*d);
                uint64_t strtab = 0, strsz = 0, off;
                for (size_t k = 0; k < n && d[k].d_tag != DT_NULL; k++) {
                        if (d[k].d_tag == DT_STRTAB)
                                strtab = d[k].d_un.d_ptr;
                        if (d[k].d_tag == DT_STRSZ)
                                strsz = d[k].d_un.d_val;
                }
                if (!strtab || !vaddr_offset(ph, eh->e_phnum, strtab, &off) || off > size ||
                    strsz > size - off)
                        return NULL;
                for (size_t k = 0; k < n && d[k].d_tag != DT_NULL; k++) {
                        bool path_tag = d[k].d_tag == DT_RUNPATH || d[k].d_tag == DT_RPATH;
                        if ((!path_tag && d[k].d_tag != DT_NEEDED) || d[k].d_un.d_val >= strsz)
                                continue;
                        const char *s = (const char *) m + off + d[k].d_un.d_val;
                        size_t len = strnlen(s, strsz - d[k].d_un.d_val);
                        snprintf(buf, buf_size, "%.*s", (int) len, s);
                        if (strstr(buf, "$ORIGIN") || strstr(buf, "${ORIGIN}"))
                                return d[k].d_tag == DT_RUNPATH ? "DT_RUNPATH"
                                       : d[k].d_tag == DT_RPATH ? "DT_RPATH"
                                                                : "DT_NEEDED";
                }
        }
        return NULL;
}

static int check_no_origin(int fd, const char *thing, struct launch_error *e) {
        const void *m;
        size_t size;
        if (sealfd_map_readonly(fd, &m, &size) < 0)
                return 0; /* the exec will say what is wrong */
        char path[512];
        const char *tag = m ? origin_path(m, size, path, sizeof(path)) : NULL;
        sealfd_unmap((void *) m, size);
        if (!tag)
                return 0;
        return launch_error_set_exit(e, EXIT_CANNOT_EXECUTE, STAGE, ENOEXEC, thing,
                                     "finds its libraries through $ORIGIN (%s '%s'), which a sealed copy has "
                                     "no directory for: run it by path (without --sealed)",
                                     tag, path);
}

/* Whether binfmt_misc may run other formats: mounted with any handler
 * beside its "register" and "status" files.  Unreadable means maybe. */
static bool binfmt_misc_has_handlers(void) {
        DIR *d = opendir("/proc/sys/fs/binfmt_misc");
        if (!d)
                return errno != ENOENT;
        bool any = false;
        struct dirent *de;
        while (!any && (de = readdir(d)))
                any = strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "register") &&
                      strcmp(de->d_name, "status");
        closedir(d);
        return any;
}

int path_exec_check(const char *path, const char *thing, struct launch_error *e) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return 0; /* execute-only, say: the exec decides */
        char magic[4] = {0};
        ssize_t n = pread(fd, magic, sizeof(magic), 0);
        close(fd);
        bool known =
                (n >= 2 && magic[0] == '#' && magic[1] == '!') || (n == 4 && !memcmp(magic, "\177ELF", 4));
        if (known || n < 0 || binfmt_misc_has_handlers())
                return 0;
        return launch_error_set_exit(e, EXIT_CANNOT_EXECUTE, STAGE, ENOEXEC, thing,
                                     "is not an executable format (neither ELF nor a #! script, and no "
                                     "binfmt_misc handler is registered)");
}

int sealed_binary_check(int fd, bool is_script, const char *thing, struct launch_error *e) {
        return is_script ? check_script_reachable(fd, thing, e) : check_no_origin(fd, thing, e);
}
