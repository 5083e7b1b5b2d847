/*
 * fault.c - functions that fault on purpose, for
 * `fault null|text|stack|breakpoint`.
 * Their names are what the oops backtrace must show.
 */
#include "kernel.h"
#include "arch.h"

/*
 * The targets get their pointer from a helper call so that they are not
 * leaf functions: gcc omits the frame of a leaf function even with
 * -fno-omit-frame-pointer, and the oops backtrace would then skip the caller.
 */
long *volatile fault_null_ptr;

static __noinline long *fault_pointer(long *p)
{
	barrier();
	return p;
}

void __noinline fault_null(void)
{
	WRITE_ONCE(*fault_pointer(fault_null_ptr), 1);
}

/* Write into our own code: text is mapped read-only + executable. */
void __noinline fault_text(void)
{
	volatile u8 *text = (volatile u8 *)fault_pointer((long *)&fault_text);

	*text = 0xcc;
}

/*
 * Recurse until the stack runs into its guard page.  The volatile buffer
 * makes every frame real and the use after the call prevents a tail call.
 */
long fault_stack_limit = -1;	/* depth to stop at; -1: never */

long __noinline fault_stack_recurse(long depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	if (depth == READ_ONCE(fault_stack_limit))
		return depth;
	return fault_stack_recurse(depth + 1) + pad[0];
}

/*
 * A breakpoint instruction that is not at a site being patched: the
 * patcher's handler must decline it, so it oopses like any other trap.
 */
void __noinline fault_breakpoint(void)
{
	fault_pointer(NULL);
	arch_breakpoint();
}
