/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON strings for the status fd and `--dry-run --json`: one escaper, two
 * sinks, so both outputs escape every byte the same way. */
#ifndef SEALRUN_JSON_STRING_H
#define SEALRUN_JSON_STRING_H

#include <stddef.h>
#include <stdio.h>

/* Append s (NULL: "") as a JSON string, quotes included, to f.  Valid
 * UTF-8 passes through; each byte that is not part of a valid UTF-8
 * character is written as \ufffd (U+FFFD), so the output is valid JSON and
 * valid UTF-8 whatever bytes a path holds. */
void json_string_write(FILE *f, const char *s);
/* The same into buf without allocating (for the commit stage, where a
 * seccomp filter may already forbid brk/mmap); truncates safely, never
 * inside an escape or a UTF-8 character.  Returns the length written. */
size_t json_string_format(char *buf, size_t size, const char *s);

#endif
