/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The system headers the named-constant table is generated from
 * (gen-constants.sh).  A name used in a policy resolves when one of these
 * headers defines it as an integer macro of a family in constants.families. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <poll.h>
#include <time.h>
#include <netinet/in.h>
#include <net/if.h>
#include <linux/futex.h>
#include <linux/fs.h>
#include <linux/seccomp.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <linux/memfd.h>
#include <asm/termbits.h>
#include <asm/ioctls.h>
