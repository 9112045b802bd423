/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json_string.h"

#include <stdio.h>

/* The JSON text for one byte of a string into out (at least 7 bytes, not
 * NUL-terminated); returns its length.  Bytes >= 0x80 pass through: the
 * strings are paths and messages, UTF-8 or not, and JSON readers take them. */
static size_t escape_byte(unsigned char c, char out[7]) {
        static const char named[][2] = {{'"', '"'}, {'\\', '\\'}, {'\n', 'n'}, {'\t', 't'}, {'\r', 'r'}};
        for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
                if (c == (unsigned char) named[i][0]) {
                        out[0] = '\\';
                        out[1] = named[i][1];
                        return 2;
                }
        if (c < 0x20 || c == 0x7f) {
                static const char hex[] = "0123456789abcdef";
                out[0] = '\\';
                out[1] = 'u';
                out[2] = '0';
                out[3] = '0';
                out[4] = hex[c >> 4];
                out[5] = hex[c & 0xf];
                return 6;
        }
        out[0] = (char) c;
        return 1;
}

void json_string_write(FILE *f, const char *s) {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) (s ? s : ""); *p; p++) {
                char e[7];
                fwrite(e, 1, escape_byte(*p, e), f);
        }
        fputc('"', f);
}

size_t json_string_format(char *buf, size_t size, const char *s) {
        if (size == 0)
                return 0;
        size_t n = 0;
        if (n + 1 < size)
                buf[n++] = '"';
        for (const unsigned char *p = (const unsigned char *) (s ? s : ""); *p; p++) {
                char e[7];
                size_t len = escape_byte(*p, e);
                /* Room for this escape and the closing quote and NUL. */
                if (n + len + 2 > size)
                        break;
                for (size_t i = 0; i < len; i++)
                        buf[n++] = e[i];
        }
        if (n + 1 < size)
                buf[n++] = '"';
        buf[n] = '\0';
        return n;
}
