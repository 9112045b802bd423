/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The producer pattern: the creator's mapping writes, nobody else can. */
#include <sys/mman.h>
#include <sys/wait.h>

#include "core_test.h"

#define SIZE (16 * 4096)

static void require_future_write(void) {
        if (sealfd_supports(SEALFD_FEATURE_SEAL_FUTURE_WRITE) <= 0)
                SKIP_BECAUSE("kernel lacks F_SEAL_FUTURE_WRITE");
}

static void producer_mapping_writes_and_consumers_see_it(void **state) {
        void *addr = NULL;
        const void *ro;
        size_t ro_size;
        char c;
        require_future_write();
        int fd = sealfd_producer_create("producer", SIZE, &addr);
        assert_true(fd >= 0);
        assert_non_null(addr);
        assert_int_equal(sealfd_seals_get(fd), SEALFD_SEALS_PRODUCER);
        assert_int_equal(sealfd_size(fd), SIZE);

        assert_int_equal(sealfd_map_readonly(fd, &ro, &ro_size), 0);
        assert_int_equal(ro_size, SIZE);
        ((char *) addr)[SIZE - 1] = 'p';
        assert_int_equal(((const char *) ro)[SIZE - 1], 'p');
        assert_int_equal(sealfd_pread(fd, &c, 1, SIZE - 1), 1);
        assert_int_equal(c, 'p');
        sealfd_unmap((void *) ro, ro_size);
        sealfd_unmap(addr, SIZE);
        close(fd);
}

static void consumer_cannot_write_by_any_route(void **state) {
        void *addr = NULL, *p = (void *) 1;
        require_future_write();
        int fd = sealfd_producer_create(NULL, SIZE, &addr);
        assert_true(fd >= 0);

        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                /* the consumer: same fd, after fork */
                int bad = 0;
                bad |= sealfd_write(fd, "x", 1) != -EPERM;
                bad |= (sealfd_pwrite(fd, "x", 1, 0) != -EPERM) << 1;
                bad |= (sealfd_set_size(fd, SIZE / 2) != -EPERM) << 2;
                bad |= (sealfd_set_size(fd, SIZE * 2) != -EPERM) << 3;
                bad |= (sealfd_map(fd, 0, SIZE, PROT_READ | PROT_WRITE, &p) != -EPERM) << 4;
                bad |= (sealfd_map(fd, 0, SIZE, PROT_READ, &p) != 0) << 5;
                _exit(bad);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);

        /* and the producer's own mapping still writes */
        memset(addr, 'z', SIZE);
        char c;
        assert_int_equal(sealfd_pread(fd, &c, 1, 123), 1);
        assert_int_equal(c, 'z');
        sealfd_unmap(addr, SIZE);
        close(fd);
}

static void producer_argument_errors(void **state) {
        void *addr = (void *) 1;
        assert_int_equal(sealfd_producer_create("x", 0, &addr), -EINVAL);
        assert_int_equal(sealfd_producer_create("x", 4096, NULL), -EINVAL);
        assert_ptr_equal(addr, (void *) 1);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(producer_mapping_writes_and_consumers_see_it),
                cmocka_unit_test(consumer_cannot_write_by_any_route),
                cmocka_unit_test(producer_argument_errors),
        };
        return cmocka_run_group_tests_name("producer", tests, NULL, NULL);
}
