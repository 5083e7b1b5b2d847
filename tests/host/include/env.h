/* env.h - knobs of the host environment (tests/host/env.c). */
#ifndef HOST_ENV_H
#define HOST_ENV_H

/*
 * host_alloc_countdown - kmalloc/kzalloc succeed this many more times,
 * then return NULL until it is reset; -1 (default): never fail.
 */
extern long host_alloc_countdown;

/* The fake trampoline tramp_lookup() knows (outside every kallsyms entry). */
#define HOST_TRAMP_ADDR	0x7000000UL
#define HOST_TRAMP_SIZE	0x100UL

/* What console.c last asked arch_console_rx_throttle() for, and how often. */
extern bool host_rx_stopped;
extern unsigned long host_rx_throttle_calls;

#endif /* HOST_ENV_H */
