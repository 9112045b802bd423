/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the confinement directives (landlock, user, group, groups),
 * the pure Landlock plan (rights per ABI, fail closed, best effort) and the
 * user resolution.  No process is started, nothing is enforced. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "landlock.h"
#include "user.h"
#include "workload.h"

static int parse(struct workload *w, const char *text, struct diag *d) {
        return workload_parse_text(w, "/w/t.workload", text, strlen(text), NULL, NULL, d);
}

static void expect_error(const char *text, unsigned line, unsigned col, const char *message) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse(&w, text, &d), -EINVAL);
        assert_true(d.n_entries > 0);
        if (d.entries[0].line != line || d.entries[0].col != col || !strstr(d.entries[0].message, message))
                fail_msg("%s: got %u:%u: %s", text, d.entries[0].line, d.entries[0].col,
                         d.entries[0].message);
        diag_clear(&d);
        workload_free(&w);
}

static void landlock_directives_parse(void **state) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse(&w,
                               "landlock read /usr /etc/ld.so.cache\n"
                               "landlock exec /usr/bin\n"
                               "landlock write /tmp/out\n"
                               "landlock device /dev/null\n"
                               "landlock connect tcp 443 80\n"
                               "landlock bind tcp 0\n"
                               "landlock scope signal abstract-unix\n"
                               "landlock abi 6\n"
                               "landlock best-effort\n"
                               "user nobody\n"
                               "group 65534\n"
                               "groups 1 daemon\n",
                               &d),
                         0);
        assert_int_equal(d.n_errors, 0);
        const struct landlock_spec *s = &w.landlock;
        assert_true(s->present);
        assert_int_equal(s->n_paths, 5);
        assert_string_equal(s->paths[1].path, "/etc/ld.so.cache");
        assert_int_equal(s->paths[1].grant, LANDLOCK_READ);
        assert_int_equal(s->paths[1].line, 1);
        assert_int_equal(s->paths[1].col, 20);
        assert_string_equal(s->paths[1].file, "/w/t.workload");
        assert_int_equal(s->paths[3].grant, LANDLOCK_WRITE);
        assert_int_equal(s->paths[4].grant, LANDLOCK_DEVICE);
        assert_int_equal(s->n_ports, 3);
        assert_int_equal(s->ports[1].port, 80);
        assert_int_equal(s->ports[1].access, LL_NET_CONNECT_TCP);
        assert_int_equal(s->ports[2].access, LL_NET_BIND_TCP);
        assert_true(s->scope_set);
        assert_int_equal(s->scoped, LL_SCOPE_SIGNAL | LL_SCOPE_ABSTRACT_UNIX);
        assert_int_equal(s->abi_min, 6);
        assert_true(s->best_effort);
        assert_string_equal(w.user.user.text, "nobody");
        assert_string_equal(w.user.group.text, "65534");
        assert_int_equal(w.user.n_groups, 2);
        assert_string_equal(w.user.groups[1].text, "daemon");
        assert_int_equal(w.user.groups[1].col, 10);
        workload_free(&w);
}

static void landlock_directive_errors(void **state) {
        expect_error("landlock\n", 1, 9, "expected a right");
        expect_error("landlock sing /x\n", 1, 10, "expected read, exec, write, device, connect, bind");
        expect_error("landlock read\n", 1, 14, "at least one path");
        expect_error("landlock read usr\n", 1, 15, "expected an absolute path, found 'usr'");
        expect_error("landlock connect udp 53\n", 1, 18, "expected 'tcp'");
        expect_error("landlock connect tcp 443 65536\n", 1, 26, "expected a port from 0 to 65535");
        expect_error("landlock bind tcp -1\n", 1, 19, "expected a port");
        expect_error("landlock scope signal none\n", 1, 23, "alone");
        expect_error("landlock scope ptrace\n", 1, 16, "expected 'signal'");
        expect_error("landlock abi 0\n", 1, 14, "expected an ABI number");
        expect_error("landlock best-effort now\n", 1, 22, "expected end of line");
        expect_error("user\n", 1, 5, "expected a user name or uid");
        expect_error("user a b\n", 1, 8, "expected end of line");
        expect_error("user nobody\nuser root\n", 2, 1, "already set to 'nobody'");
        expect_error("group wh/eel\n", 1, 7, "expected a name or a number");
        expect_error("groups a\ngroups b\n", 2, 1, "already set");
}

static void rights_per_abi(void **state) {
        uint64_t fs, net, scoped;
        landlock_abi_rights(1, &fs, &net, &scoped);
        assert_int_equal(fs, 0x1fff);
        assert_int_equal(net | scoped, 0);
        landlock_abi_rights(2, &fs, &net, &scoped);
        assert_int_equal(fs, 0x3fff);
        landlock_abi_rights(3, &fs, &net, &scoped);
        assert_int_equal(fs, 0x7fff);
        landlock_abi_rights(4, &fs, &net, &scoped);
        assert_int_equal(fs, 0x7fff);
        assert_int_equal(net, 3);
        landlock_abi_rights(5, &fs, &net, &scoped);
        assert_int_equal(fs, 0xffff);
        assert_int_equal(scoped, 0);
        landlock_abi_rights(7, &fs, &net, &scoped);
        assert_int_equal(fs, 0xffff);
        assert_int_equal(net, 3);
        assert_int_equal(scoped, 3);
        landlock_abi_rights(0, &fs, &net, &scoped);
        assert_int_equal(fs | net | scoped, 0);
}

static void grants_become_rights(void **state) {
        uint64_t all = 0xffff;
        assert_int_equal(landlock_grant_rights(LANDLOCK_READ, true, all), LL_FS_READ_FILE | LL_FS_READ_DIR);
        assert_int_equal(landlock_grant_rights(LANDLOCK_READ, false, all), LL_FS_READ_FILE);
        assert_int_equal(landlock_grant_rights(LANDLOCK_EXEC, false, all), LL_FS_READ_FILE | LL_FS_EXECUTE);
        assert_int_equal(landlock_grant_rights(LANDLOCK_WRITE, false, all),
                         LL_FS_WRITE_FILE | LL_FS_TRUNCATE);
        uint64_t dir = landlock_grant_rights(LANDLOCK_WRITE, true, all);
        assert_true(dir & LL_FS_MAKE_REG && dir & LL_FS_REFER && dir & LL_FS_REMOVE_FILE);
        assert_false(dir & (LL_FS_MAKE_CHAR | LL_FS_MAKE_BLOCK | LL_FS_READ_FILE | LL_FS_EXECUTE));
        /* Within what the ABI handles: no refer or truncate at ABI 1. */
        assert_false(landlock_grant_rights(LANDLOCK_WRITE, true, 0x1fff) & (LL_FS_REFER | LL_FS_TRUNCATE));
        assert_int_equal(landlock_grant_rights(LANDLOCK_DEVICE, false, 0x7fff), 0);
        char buf[256];
        assert_string_equal(landlock_rights_text('f', LL_FS_READ_FILE | LL_FS_READ_DIR, buf, sizeof(buf)),
                            "read-file,read-dir");
        assert_string_equal(landlock_rights_text('n', 3, buf, sizeof(buf)), "bind-tcp,connect-tcp");
        assert_string_equal(landlock_rights_text('s', LL_SCOPE_SIGNAL, buf, sizeof(buf)), "signal");
        assert_string_equal(landlock_rights_text('f', 0, buf, sizeof(buf)), "none");
        assert_string_equal(landlock_rights_text('f', UINT64_C(1) << 20, buf, sizeof(buf)), "bit20");
}

static void plan_fails_closed_and_best_effort_says_what_is_left(void **state) {
        struct landlock_spec s = {.present = true};
        struct landlock_plan p;
        struct landlock_kernel k7 = {.abi = 7}, k3 = {.abi = 3}, none = {.abi = -ENOSYS};
        assert_int_equal(landlock_plan_build(&s, &k7, &p), 0);
        assert_true(p.enabled);
        assert_int_equal(p.abi, 7);
        assert_int_equal(p.handled_fs, 0xffff);
        assert_int_equal(p.handled_net, 3);
        assert_int_equal(p.scoped, 3); /* no scope line: every scope */
        assert_int_equal(p.unenforced_fs | p.unenforced_net | p.unenforced_scoped, 0);
        /* No line needs more than ABI 1: ABI 3 enforces what it can. */
        assert_int_equal(landlock_plan_build(&s, &k3, &p), 0);
        assert_int_equal(p.handled_fs, 0x7fff);
        assert_int_equal(p.unenforced_net, 3);
        assert_int_equal(p.unenforced_fs, LL_FS_IOCTL_DEV);
        /* No Landlock at all: refused unless best-effort. */
        assert_int_equal(landlock_plan_build(&s, &none, &p), -EOPNOTSUPP);
        s.abi_min = 4;
        assert_int_equal(landlock_plan_build(&s, &k3, &p), -EOPNOTSUPP);
        s.abi_min = 0;
        struct landlock_port port = {.access = LL_NET_CONNECT_TCP, .port = 443};
        s.ports = &port;
        s.n_ports = 1;
        assert_int_equal(landlock_needed_abi(&s), 4);
        assert_int_equal(landlock_plan_build(&s, &k3, &p), -EOPNOTSUPP);
        s.scope_set = true;
        s.scoped = LL_SCOPE_SIGNAL;
        assert_int_equal(landlock_needed_abi(&s), 6);
        s.best_effort = true;
        assert_int_equal(landlock_plan_build(&s, &k3, &p), 0);
        assert_int_equal(p.abi, 3);
        assert_int_equal(p.scoped, 0);
        assert_int_equal(p.unenforced_scoped, LL_SCOPE_SIGNAL);
        assert_int_equal(landlock_plan_build(&s, &none, &p), 0);
        assert_false(p.enabled);
        assert_int_equal(p.unenforced_fs, 0xffff);
        /* A later kernel's extra rights are handled (denied) too. */
        struct landlock_kernel k9 = {.abi = 9, .extra_fs = UINT64_C(1) << 16};
        s.best_effort = false;
        assert_int_equal(landlock_plan_build(&s, &k9, &p), 0);
        assert_int_equal(p.handled_fs, 0x1ffff);
        assert_int_equal(p.scoped, LL_SCOPE_SIGNAL);
        /* Without any landlock line, nothing. */
        struct landlock_spec empty = {0};
        assert_int_equal(landlock_plan_build(&empty, &none, &p), 0);
        assert_false(p.enabled);
}

static void spec_copy_is_deep(void **state) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse(&w, "landlock read /usr\nlandlock bind tcp 8080\nuser 1\ngroups 2 3\n", &d),
                         0);
        struct landlock_spec s;
        struct user_spec u;
        assert_int_equal(landlock_spec_copy(&w.landlock, &s), 0);
        assert_int_equal(user_spec_copy(&w.user, &u), 0);
        workload_free(&w);
        assert_string_equal(s.paths[0].path, "/usr");
        assert_int_equal(s.ports[0].port, 8080);
        assert_string_equal(u.user.text, "1");
        assert_string_equal(u.groups[1].text, "3");
        landlock_spec_free(&s);
        user_spec_free(&u);
}

static void users_resolve_from_names_and_numbers(void **state) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        assert_int_equal(parse(&w, "user root\ngroups 4 root\n", &d), 0);
        struct user_ids ids;
        const struct user_word *bad = NULL;
        char why[256];
        assert_int_equal(user_resolve(&w.user, &ids, &bad, why, sizeof(why)), 0);
        assert_true(ids.change);
        assert_int_equal(ids.uid, 0);
        assert_int_equal(ids.gid, 0); /* root's primary group */
        assert_int_equal(ids.n_groups, 2);
        assert_int_equal(ids.groups[0], 4);
        assert_int_equal(ids.groups[1], 0);
        user_ids_text(&ids, why, sizeof(why));
        assert_string_equal(why, "uid 0, gid 0, groups 4,0");
        user_ids_free(&ids);
        workload_free(&w);

        assert_int_equal(parse(&w, "user no-such-user-here\n", &d), 0);
        assert_int_equal(user_resolve(&w.user, &ids, &bad, why, sizeof(why)), -ENOENT);
        assert_ptr_equal(bad, &w.user.user);
        assert_string_equal(why, "no such user");
        workload_free(&w);
        /* A uid without a passwd entry needs a group. */
        assert_int_equal(parse(&w, "user 4000000\n", &d), 0);
        assert_int_equal(user_resolve(&w.user, &ids, &bad, why, sizeof(why)), -ENOENT);
        assert_non_null(strstr(why, "add a 'group' line"));
        workload_free(&w);
        assert_int_equal(parse(&w, "user 4000000\ngroup 4000001\n", &d), 0);
        assert_int_equal(user_resolve(&w.user, &ids, &bad, why, sizeof(why)), 0);
        assert_int_equal(ids.uid, 4000000);
        assert_int_equal(ids.gid, 4000001);
        assert_int_equal(ids.n_groups, 0);
        /* Not root: switching anywhere else is refused. */
        if (geteuid() != 0) {
                assert_int_equal(user_allowed(&ids, why, sizeof(why)), -EPERM);
                assert_non_null(strstr(why, "needs root"));
        }
        user_ids_free(&ids);
        workload_free(&w);
}

/* Not root and asked for what it already is: nothing to switch. */
static void same_user_is_no_switch(void **state) {
        struct workload w = WORKLOAD_INIT;
        struct diag d = DIAG_INIT;
        char text[64], why[256];
        gid_t groups[64];
        int n = getgroups(64, groups);
        snprintf(text, sizeof(text), "user %u\ngroup %u\n", (unsigned) geteuid(), (unsigned) getegid());
        assert_int_equal(parse(&w, text, &d), 0);
        struct user_ids ids;
        const struct user_word *bad = NULL;
        assert_int_equal(user_resolve(&w.user, &ids, &bad, why, sizeof(why)), 0);
        assert_true(ids.change);
        assert_int_equal(user_allowed(&ids, why, sizeof(why)), 0);
        if (geteuid() != 0 && n == 0)
                assert_false(ids.change);
        user_ids_free(&ids);
        workload_free(&w);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(landlock_directives_parse),
                cmocka_unit_test(landlock_directive_errors),
                cmocka_unit_test(rights_per_abi),
                cmocka_unit_test(grants_become_rights),
                cmocka_unit_test(plan_fails_closed_and_best_effort_says_what_is_left),
                cmocka_unit_test(spec_copy_is_deep),
                cmocka_unit_test(users_resolve_from_names_and_numbers),
                cmocka_unit_test(same_user_is_no_switch),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
