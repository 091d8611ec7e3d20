// SPDX-License-Identifier: GPL-2.0
/*
 * GUP must refuse user addresses above the user address space.
 *
 * For every bit b from 47 to 55 for which nothing can be mapped at
 * X | 1UL << b (an mmap() with MAP_FIXED_NOREPLACE there fails), where X
 * is a MAP_SHARED page, vmsplice() and a shared FUTEX_WAKE at that address
 * must fail with EFAULT, as they do at any other address without a
 * mapping. Both reach the pages through get_user_pages_fast(). Bits inside
 * the user address space are skipped, so the whole test skips where
 * nothing above bit 46 lies outside it.
 *
 * An arm64 kernel with 52-bit VAs running on a CPU without FEAT_LPA2 folds
 * a page table level at run time and gives user space 47 or 48 bits, but
 * the lockless walk used to index its tables with the build-time sizes
 * and returned the pages mapped at X for X | 1UL << 47.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PATTERN 0x5a

FIXTURE(gup_va_limit)
{
	size_t page_size;
	char *x;
	unsigned long probe;
	int pipefd[2];
};

FIXTURE_VARIANT(gup_va_limit)
{
	unsigned int bit;
};

FIXTURE_VARIANT_ADD(gup_va_limit, bit47) { .bit = 47 };
FIXTURE_VARIANT_ADD(gup_va_limit, bit48) { .bit = 48 };
FIXTURE_VARIANT_ADD(gup_va_limit, bit49) { .bit = 49 };
FIXTURE_VARIANT_ADD(gup_va_limit, bit50) { .bit = 50 };
FIXTURE_VARIANT_ADD(gup_va_limit, bit51) { .bit = 51 };
FIXTURE_VARIANT_ADD(gup_va_limit, bit52) { .bit = 52 };
FIXTURE_VARIANT_ADD(gup_va_limit, bit53) { .bit = 53 };
FIXTURE_VARIANT_ADD(gup_va_limit, bit54) { .bit = 54 };
FIXTURE_VARIANT_ADD(gup_va_limit, bit55) { .bit = 55 };

FIXTURE_SETUP(gup_va_limit)
{
	void *p;

	self->x = MAP_FAILED;
	self->pipefd[0] = -1;
	self->pipefd[1] = -1;
	if (sizeof(unsigned long) * 8 <= variant->bit)
		SKIP(return, "no bit %u in a %zu-bit address", variant->bit,
		     sizeof(unsigned long) * 8);

	self->page_size = getpagesize();
	self->x = mmap(NULL, self->page_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->x);
	memset(self->x, PATTERN, self->page_size);
	if ((unsigned long)self->x & 1UL << variant->bit)
		SKIP(return, "X = %p has bit %u set", self->x, variant->bit);
	self->probe = (unsigned long)self->x | 1UL << variant->bit;

	p = mmap((void *)self->probe, self->page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != MAP_FAILED) {
		munmap(p, self->page_size);
		if ((unsigned long)p != self->probe)
			SKIP(return, "MAP_FIXED_NOREPLACE not supported");
		SKIP(return, "%#lx (bit %u) is inside the user address space",
		     self->probe, variant->bit);
	}
	ASSERT_EQ(0, pipe(self->pipefd));
}

FIXTURE_TEARDOWN(gup_va_limit)
{
	if (self->pipefd[0] >= 0)
		close(self->pipefd[0]);
	if (self->pipefd[1] >= 0)
		close(self->pipefd[1]);
	if (self->x != MAP_FAILED)
		munmap(self->x, self->page_size);
}

static ssize_t splice_page(int fd, unsigned long addr, size_t len)
{
	struct iovec iov = { .iov_base = (void *)addr, .iov_len = len };

	return vmsplice(fd, &iov, 1, SPLICE_F_NONBLOCK);
}

/* Count the bytes of the pipe's next page that hold X's pattern. */
static size_t read_pattern(int fd, size_t len)
{
	unsigned char buf[256];
	size_t n = 0;
	ssize_t got;

	while (len > 0) {
		got = read(fd, buf, len < sizeof(buf) ? len : sizeof(buf));
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got; i++)
			n += buf[i] == PATTERN;
		len -= got;
	}
	return n;
}

TEST_F(gup_va_limit, vmsplice)
{
	ssize_t ret;

	/* The same page at X itself works. */
	ASSERT_EQ((ssize_t)self->page_size,
		  splice_page(self->pipefd[1], (unsigned long)self->x,
			      self->page_size));
	ASSERT_EQ(self->page_size, read_pattern(self->pipefd[0],
						self->page_size));

	errno = 0;
	ret = splice_page(self->pipefd[1], self->probe, self->page_size);
	EXPECT_EQ(-1, ret) {
		TH_LOG("vmsplice(%#lx) returned %zd, %zu bytes of X's pattern",
		       self->probe, ret, ret > 0 ?
		       read_pattern(self->pipefd[0], ret) : 0);
	}
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(gup_va_limit, futex_wake)
{
	long ret;

	/* A shared futex looks the page up with get_user_pages_fast(). */
	ASSERT_EQ(0, syscall(__NR_futex, self->x, FUTEX_WAKE, 1, NULL, NULL, 0));

	errno = 0;
	ret = syscall(__NR_futex, self->probe, FUTEX_WAKE, 1, NULL, NULL, 0);
	EXPECT_EQ(-1, ret) {
		TH_LOG("FUTEX_WAKE at %#lx returned %ld", self->probe, ret);
	}
	EXPECT_EQ(EFAULT, errno);
}

TEST_HARNESS_MAIN
