/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The headers the named-constant table is generated from (gen-constants.sh):
 * libc's, and every kernel UAPI header Debian 12 ships in linux-libc-dev,
 * plus the kernel's DRM headers, which Debian ships in libdrm-dev.
 *
 * Not every UAPI header compiles next to libc's (linux/signal.h redefines
 * struct sigaction), so the headers come in GROUPS: gen-constants.sh reads
 * this file once per group, with CONSTANTS_GROUP defined to 1 ..
 * CONSTANTS_GROUPS, and a name takes its value from the first group that
 * defines it as an integer constant expression.  Group 1 is libc followed by
 * every UAPI header that compiles with it without redefining a macro: the
 * values a program built on this system sees, as minijail's generator takes
 * them; its UAPI headers are listed by family in constants-headers-asm.h,
 * -linux.h, -net.h and -devices.h, in that order.  Groups 2 and later hold
 * the UAPI headers that clash with libc or with each other; they only add
 * names the earlier groups lack (SIGSTKSZ, which libc makes a sysconf()
 * call, comes from asm/signal.h).
 *
 * linux-libc-dev headers left out (tests/seccomp/test_constants.c checks
 * that every header of the installed linux-libc-dev is included or here):
 *   asm-generic/          describes architectures other than this one when
 *                         included directly; x86's asm/ headers include
 *                         the parts that apply
 *   asm/posix_types_32.h  i386's types
 *   asm/posix_types_x32.h x32's types
 *   linux/byteorder/big_endian.h  big-endian machines
 *   linux/coda.h          needs libc's types and the kernel's struct timeval at once
 *   linux/patchkey.h      "#error included directly" (linux/soundcard.h has it)
 *   linux/kfd_ioctl.h     needs <drm/drm.h>, which Debian installs as <libdrm/drm.h>
 *   xen/evtchn.h          needs Xen's own interface headers (domid_t), not shipped
 *   xen/gntdev.h          needs Xen's own interface headers (grant_ref_t), not shipped
 *   xen/privcmd.h         needs xen/interface/xen.h, not shipped
 */
#define CONSTANTS_GROUPS 4

#if CONSTANTS_GROUP == 1
#define _GNU_SOURCE 1
/* libc */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
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
/* linux-libc-dev */
#include "constants-headers-asm.h"
#include "constants-headers-linux.h"
#include "constants-headers-net.h"
#include "constants-headers-devices.h"

#elif CONSTANTS_GROUP == 2
/* The kernel's own definitions of what libc defines too: fcntl, poll,
 * termios, timers, semaphores (struct flock, struct termios, ...). */
#include <asm/fcntl.h>
#include <asm/poll.h>
#include <asm/sembuf.h>
#include <asm/sigcontext.h>
#include <asm/sigcontext32.h>
#include <asm/siginfo.h>
#include <asm/termios.h>
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/inotify.h>
#include <linux/netfilter_ipv4/ipt_ecn.h>
#include <linux/pidfd.h>
#include <linux/poll.h>
#include <linux/resource.h>
#include <linux/sched/types.h>
#include <linux/sem.h>
#include <linux/signalfd.h>
#include <linux/target_core_user.h>
#include <linux/termios.h>
#include <linux/time.h>
#include <linux/timerfd.h>
#include <linux/timex.h>
#include <linux/uio.h>
#include <linux/watch_queue.h>

#elif CONSTANTS_GROUP == 3
/* The kernel's signal and stat definitions (struct sigaction, struct stat). */
#include <asm/signal.h>
#include <asm/stat.h>
#include <linux/signal.h>

#elif CONSTANTS_GROUP == 4
/* Bridge netfilter, whose headers clash with the IPv4 netfilter ones. */
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_bridge/ebtables.h>
#endif
