/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json_string.h"

#include <stdio.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at p (1..4), or 0 when the bytes
 * there are not one (a stray continuation byte, a truncated or overlong
 * sequence, a surrogate, above U+10FFFF). */
static size_t utf8_sequence(const unsigned char *p) {
        unsigned char c = p[0];
        size_t len;
        unsigned lo = 0x80, hi = 0xbf; /* the allowed range of the second byte */
        if (c < 0x80)
                return 1;
        if (c >= 0xc2 && c <= 0xdf)
                len = 2;
        else if (c >= 0xe0 && c <= 0xef) {
                len = 3;
                if (c == 0xe0)
                        lo = 0xa0; /* overlong */
                if (c == 0xed)
                        hi = 0x9f; /* surrogates */
        } else if (c >= 0xf0 && c <= 0xf4) {
                len = 4;
                if (c == 0xf0)
                        lo = 0x90; /* overlong */
                if (c == 0xf4)
                        hi = 0x8f; /* above U+10FFFF */
        } else
                return 0;
        if (p[1] < lo || p[1] > hi)
                return 0;
        for (size_t i = 2; i < len; i++)
                if (p[i] < 0x80 || p[i] > 0xbf) /* a NUL ends the check here too */
                        return 0;
        return len;
}

/* The JSON text for the character at p into out (at least 7 bytes, not
 * NUL-terminated); *ret_used is how many bytes of p it stands for.  A
 * valid UTF-8 character passes through whole; a byte that is not part of
 * one becomes U+FFFD, so every line parses as JSON (and as UTF-8). */
static size_t escape_char(const unsigned char *p, size_t *ret_used, char out[7]) {
        static const char named[][2] = {{'"', '"'}, {'\\', '\\'}, {'\n', 'n'}, {'\t', 't'}, {'\r', 'r'}};
        unsigned char c = *p;
        *ret_used = 1;
        for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
                if (c == (unsigned char) named[i][0]) {
                        out[0] = '\\';
                        out[1] = named[i][1];
                        return 2;
                }
        if (c < 0x20 || c == 0x7f) {
                static const char hex[] = "0123456789abcdef";
                memcpy(out, "\\u00", 4);
                out[4] = hex[c >> 4];
                out[5] = hex[c & 0xf];
                return 6;
        }
        size_t len = utf8_sequence(p);
        if (len == 0) {
                memcpy(out, "\\ufffd", 6);
                return 6;
        }
        memcpy(out, p, len);
        *ret_used = len;
        return len;
}

void json_string_write(FILE *f, const char *s) {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) (s ? s : ""); *p;) {
                char e[7];
                size_t used;
                fwrite(e, 1, escape_char(p, &used, e), f);
                p += used;
        }
        fputc('"', f);
}

size_t json_string_format(char *buf, size_t size, const char *s) {
        if (size == 0)
                return 0;
        size_t n = 0;
        if (n + 1 < size)
                buf[n++] = '"';
        for (const unsigned char *p = (const unsigned char *) (s ? s : ""); *p;) {
                char e[7];
                size_t used, len = escape_char(p, &used, e);
                /* Room for this whole character and the closing quote and NUL:
                 * a cut never falls inside an escape or a UTF-8 sequence. */
                if (n + len + 2 > size)
                        break;
                memcpy(buf + n, e, len);
                n += len;
                p += used;
        }
        if (n + 1 < size)
                buf[n++] = '"';
        buf[n] = '\0';
        return n;
}
