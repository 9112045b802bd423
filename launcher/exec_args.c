/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unpredictable exec pointers: see exec_args.h. */
#include "exec_args.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

static size_t round_up(size_t n, size_t to) {
        return (n + to - 1) / to * to;
}

/* Room for an array of n + 1 pointers starting anywhere in its first page. */
static size_t array_area(size_t n, size_t page) {
        return round_up((n + 1) * sizeof(char *), page) + page;
}

int exec_args_new(char *const *argv, size_t n_argv, char *const *envp, size_t n_envp, struct exec_args *ret) {
        size_t page = (size_t) sysconf(_SC_PAGESIZE);
        uint16_t rnd[3];
        ssize_t got = getrandom(rnd, sizeof(rnd), 0);
        if (got < 0)
                return -errno;
        if ((size_t) got != sizeof(rnd))
                return -EIO;
        size_t argv_area = array_area(n_argv, page), envp_area = array_area(n_envp, page);
        size_t size = page + argv_area + envp_area;
        char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map == MAP_FAILED)
                return -errno;
        size_t slots = page / sizeof(char *);
        char *empty = map + rnd[0] % page; /* the mapping is zero-filled: "" */
        char **av = (char **) (map + page) + rnd[1] % slots;
        char **ev = (char **) (map + page + argv_area) + rnd[2] % slots;
        memcpy(av, argv, n_argv * sizeof(char *));
        av[n_argv] = NULL;
        memcpy(ev, envp, n_envp * sizeof(char *));
        ev[n_envp] = NULL;
        (void) mprotect(map, size, PROT_READ);
        *ret = (struct exec_args){.map = map, .map_size = size, .empty = empty, .argv = av, .envp = ev};
        return 0;
}

void exec_args_free(struct exec_args *x) {
        if (x->map)
                munmap(x->map, x->map_size);
        *x = (struct exec_args){0};
}
