/*
 * demo.c - functions with known results for `call` and the tests.  Kept in
 * their own file and noinline so optimisation never folds them away.
 */
#include "kernel.h"

long __noinline demo_add(long a, long b)
{
	return a + b;
}

long __noinline demo_mul3(long a, long b, long c)
{
	return a * b * c;
}

long __noinline demo_sum6(long a, long b, long c, long d, long e, long f)
{
	return a + b + c + d + e + f;
}
