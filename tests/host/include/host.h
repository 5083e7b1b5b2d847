/*
 * host.h - build the kernel's generic C for the host (tests/host).
 *
 * The build force-includes this before every kernel source it compiles
 * (`-include host.h`), and test drivers include it after all their system
 * headers.  The kernel's libc-named functions (memcpy, strlen, snprintf...)
 * are renamed to tb_* here: linked under their own names they would replace
 * the host libc's, and the sanitizer runtimes' interceptors, for the whole
 * test program.  A driver that wants the host's version calls it through
 * ref.h, compiled without this header.
 *
 * Nothing else changes in the kernel sources: the arch layer they include
 * (arch.h -> arch_inline.h, ftrace.h -> arch_ftrace.h) resolves to the
 * host versions of those headers in this directory, and env.c provides the kernel services
 * they call (kmalloc, panic, tramp_lookup).
 */
#ifndef HOST_H
#define HOST_H

#define memset		tb_memset
#define memcpy		tb_memcpy
#define memmove		tb_memmove
#define memcmp		tb_memcmp
#define strlen		tb_strlen
#define strnlen		tb_strnlen
#define strcmp		tb_strcmp
#define strncmp		tb_strncmp
#define strchr		tb_strchr
#define strstr		tb_strstr
#define strlcpy		tb_strlcpy
#define vsnprintf	tb_vsnprintf
#define snprintf	tb_snprintf
#define vscnprintf	tb_vscnprintf
#define scnprintf	tb_scnprintf

#include "kernel.h"

#endif /* HOST_H */
