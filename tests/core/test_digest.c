/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256 of a memfd's contents. */
#include "core_test.h"

static void hex(const uint8_t d[SEALFD_SHA256_SIZE], char out[2 * SEALFD_SHA256_SIZE + 1]) {
        for (int i = 0; i < SEALFD_SHA256_SIZE; i++)
                sprintf(out + 2 * i, "%02x", d[i]);
}

static void digest_of(const void *buf, size_t len, char out[65]) {
        uint8_t d[SEALFD_SHA256_SIZE];
        int fd = sealfd_load_buffer(buf, len, NULL);
        assert_true(fd >= 0);
        assert_int_equal(sealfd_digest_sha256(fd, d), 0);
        hex(d, out);
        close(fd);
}

/* FIPS 180-2 test vectors. */
static void known_vectors(void **state) {
        char h[65];
        digest_of("", 0, h);
        assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        digest_of("abc", 3, h);
        assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        digest_of(two, strlen(two), h);
        assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* Several chunks and an odd tail, against sha256sum(1). */
static void large_file_matches_sha256sum(void **state) {
        char dir[64], path[128], cmd[256], want[65] = "", h[65];
        uint8_t d[SEALFD_SHA256_SIZE];
        make_tmpdir(dir, sizeof(dir));
        snprintf(path, sizeof(path), "%s/big", dir);
        write_pattern_file(path, (3u << 20) + 17, 21);
        snprintf(cmd, sizeof(cmd), "sha256sum %s 2>/dev/null", path);
        FILE *p = popen(cmd, "r");
        if (!p || fscanf(p, "%64s", want) != 1 || strlen(want) != 64) {
                if (p)
                        pclose(p);
                rm_rf(dir);
                SKIP_BECAUSE("sha256sum(1) is not available to compare with");
        }
        pclose(p);
        int fd = sealfd_load_path(path, NULL);
        assert_true(fd >= 0);
        assert_int_equal(lseek(fd, 5, SEEK_SET), 5);
        assert_int_equal(sealfd_digest_sha256(fd, d), 0);
        assert_int_equal(lseek(fd, 0, SEEK_CUR), 5); /* offset unchanged */
        hex(d, h);
        assert_string_equal(h, want);
        close(fd);
        rm_rf(dir);
}

static void digest_argument_errors(void **state) {
        uint8_t d[SEALFD_SHA256_SIZE];
        assert_int_equal(sealfd_digest_sha256(-1, d), -EBADF);
        int fd = sealfd_create(NULL);
        assert_int_equal(sealfd_digest_sha256(fd, NULL), -EINVAL);
        close(fd);
        int p[2];
        assert_int_equal(pipe(p), 0);
        assert_int_equal(sealfd_digest_sha256(p[0], d), -ESPIPE);
        close(p[0]);
        close(p[1]);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(known_vectors),
                cmocka_unit_test(large_file_matches_sha256sum),
                cmocka_unit_test(digest_argument_errors),
        };
        return cmocka_run_group_tests_name("digest", tests, NULL, NULL);
}
