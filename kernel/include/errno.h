/* errno.h - the negative error codes kernel functions return (Linux values). */
#ifndef ERRNO_H
#define ERRNO_H

#define EPERM		1
#define ENOENT		2
#define EINTR		4
#define EIO		5
#define E2BIG		7
#define EBADF		9
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENAMETOOLONG	36
#define ENOSYS		38
#define EOPNOTSUPP	95
#define ENOTSUPP	524

/* errno_name - "ENOENT" for 2 (or -2); "E?" when unknown. */
const char *errno_name(int err);

#endif /* ERRNO_H */
