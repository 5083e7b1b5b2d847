/* errno.c - names of error codes, for one-line error messages. */
#include "kernel.h"

static const struct { int err; const char *name; } errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" }, { EIO, "EIO" },
	{ E2BIG, "E2BIG" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" },
	{ ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOSYS, "ENOSYS" }, { ENOTSUPP, "ENOTSUPP" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },
};

/* errno_name - see errno.h.  Any int: -INT_MIN is not negated (it is no code). */
const char *errno_name(int err)
{
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err || -errno_names[i].err == err)
			return errno_names[i].name;
	return "E?";
}
