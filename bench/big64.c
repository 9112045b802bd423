/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A 64 MiB executable that does nothing: the payload of the sealed-exec
 * cost-per-MiB case.  The array is initialized (one non-zero byte), so the
 * compiler puts all of it in the file rather than in .bss; `used` keeps it
 * from being dropped.  Running it by path touches none of it (demand
 * paging); copying it into a sealed memfd reads every byte.
 */
#define BIG_SIZE (64u << 20)

__attribute__((used)) static const unsigned char payload[BIG_SIZE] = {1};

int main(void) {
        return 0;
}
