/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a file is, in the words of a one-line message. */
#ifndef SEALRUN_FILE_TYPE_H
#define SEALRUN_FILE_TYPE_H

#include <sys/types.h>

/* "is a FIFO, not a file", "is a character device, not a file", ...; NULL
 * for a regular file, a directory, or a type without words. */
const char *file_type_words(mode_t mode);
/* Why reading the text file at path failed, given the -errno of
 * policy_read_file_from_disk(): what the file is when it is not a regular
 * file (that reader's -EINVAL), otherwise strerror(-r). */
const char *file_read_error_words(const char *path, int r);

#endif
