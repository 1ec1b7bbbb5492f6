/*
 * The few system hooks newlib's C library calls. The hypervisor uses its
 * own page allocator, so the malloc heap is small and fixed.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "hv/console.h"
#include "hv/panic.h"

#define HEAP_SIZE (256 * 1024)

static char heap[HEAP_SIZE] __attribute__((aligned(16)));
static size_t heap_used;

void *sbrk(ptrdiff_t incr);
int write(int fd, const void *buf, size_t len);
int read(int fd, void *buf, size_t len);
int close(int fd);
int fstat(int fd, struct stat *st);
int isatty(int fd);
long lseek(int fd, long off, int whence);
void _exit(int status);
int kill(int pid, int sig);
int getpid(void);

void *sbrk(ptrdiff_t incr)
{
	if (incr < 0 || (size_t)incr > HEAP_SIZE - heap_used) {
		errno = ENOMEM;
		return (void *)-1;
	}
	void *p = heap + heap_used;
	heap_used += (size_t)incr;
	return p;
}

int write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, len);
	return (int)len;
}

int read(int fd, void *buf, size_t len)
{
	(void)fd;
	(void)buf;
	(void)len;
	errno = EBADF;
	return -1;
}
int close(int fd)
{
	(void)fd;
	return -1;
}
int isatty(int fd)
{
	return fd <= 2;
}
long lseek(int fd, long off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	return 0;
}
int kill(int pid, int sig)
{
	(void)pid;
	(void)sig;
	errno = EINVAL;
	return -1;
}
int getpid(void)
{
	return 1;
}

int fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}

void _exit(int status)
{
	panic("C library exit(%d)", status);
}
