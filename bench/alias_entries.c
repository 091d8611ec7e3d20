// SPDX-License-Identifier: GPL-2.0
/*
 * alias_entries.c - the GUP-fast entry points the alias check tries at an
 * address (bench/wl_alias.c): 1 accepted, 0 refused (errno in *err); on
 * acceptance, whether X's data came through (*confirmed).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "alias.h"

double alias_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(0xa5 ^ (i * 131) ^ (i >> 8));
}

void alias_fill_x(void)
{
	size_t i;

	for (i = 0; i < ALIAS_LEN; i++)
		A.x[i] = (char)pattern(i);
}

static int x_intact(size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)A.x[i] != pattern(i))
			return 0;
	return 1;
}

static int try_vmsplice(char *a, int *err, int *confirmed)
{
	char got[64];
	struct iovec iov = { a, sizeof(got) };
	int p[2];
	ssize_t n;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	n = vmsplice(p[1], &iov, 1, 0);
	*err = n < 0 ? errno : 0;
	if (n > 0)
		*confirmed = read(p[0], got, (size_t)n) == n &&
			     !memcmp(got, A.x, (size_t)n);
	close(p[0]);
	close(p[1]);
	return n > 0;
}

static long futex(void *addr, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

struct waiter {
	atomic_int started;
	long ret;
};

static void *wait_on_x(void *arg)
{
	struct waiter *w = arg;
	struct timespec ts = { 2, 0 };

	atomic_store(&w->started, 1);
	w->ret = futex(A.x, FUTEX_WAIT, *(volatile int *)A.x, &ts);
	return NULL;
}

/*
 * A shared wake at a accepted: does it wake a waiter on X? Retried while
 * the waiter may not have queued yet.
 */
static int futex_wakes_x(char *a)
{
	struct waiter w = { 0 };
	pthread_t t;
	int i, woke = 0;

	if (pthread_create(&t, NULL, wait_on_x, &w))
		return 0;
	while (!atomic_load(&w.started))
		sched_yield();
	for (i = 0; i < 200 && !woke; i++) {
		woke = futex(a, FUTEX_WAKE, 1, NULL) == 1;
		if (!woke)
			usleep(5000);
	}
	if (!woke)
		futex(A.x, FUTEX_WAKE, 1, NULL);	/* let it go */
	pthread_join(t, NULL);
	return woke;
}

static int try_futex(char *a, int *err, int *confirmed, int baseline)
{
	long r = futex(a, FUTEX_WAKE, 1, NULL);

	*err = r < 0 ? errno : 0;
	if (r >= 0 && !baseline)
		*confirmed = futex_wakes_x(a);
	return r >= 0;
}

/* After an accepted read into a: did the device's bytes land in X? */
static int read_landed_in_x(size_t len)
{
	const struct gupb_target *t = A.t;
	char *dev = malloc(len);
	int landed = 0;

	if (dev && pread(t->fd_buffered, dev, len, 0) == (ssize_t)len)
		landed = !x_intact(len) && !memcmp(dev, A.x, len);
	free(dev);
	return landed;
}

static int try_odirect(char *a, int *err, int *confirmed)
{
	ssize_t n = pread(A.t->fd, a, A.page, 0);

	*err = n < 0 ? errno : 0;
	if (n > 0)
		*confirmed = read_landed_in_x((size_t)n);
	alias_fill_x();
	return n > 0;
}

static int try_iouring(char *a, int *err, int *confirmed)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&A.ring);
	struct io_uring_cqe *cqe;
	int res;

	if (!sqe)
		return -1;
	io_uring_prep_read(sqe, A.t->fd, a, (unsigned int)A.page, 0);
	if (io_uring_submit(&A.ring) != 1 || io_uring_wait_cqe(&A.ring, &cqe))
		return -1;
	res = cqe->res;
	io_uring_cqe_seen(&A.ring, cqe);
	*err = res < 0 ? -res : 0;
	if (res > 0)
		*confirmed = read_landed_in_x((size_t)res);
	alias_fill_x();
	return res > 0;
}

static int try_kmod(int e, char *a, int *err)
{
	struct gupb_run r;
	unsigned int v;
	__u64 pages = 0;

	memset(&r, 0, sizeof(r));
	r.addr = (unsigned long)a;
	r.len = A.page;
	r.iterations = 1;
	if (e == E_KWALK) {
		r.op = GUPB_OP_WALK;
		r.variant_mask = A.info.variants_valid;
	} else {
		r.op = (unsigned int)(e - E_KGUP_FAST);
		r.nr_pages = 1;
	}
	if (ioctl(A.kfd, GUPB_IOC_RUN, &r)) {
		*err = errno;
		return 0;
	}
	for (v = 0; v < GUPB_NR_VARIANTS; v++)
		pages += r.stats[v].pages;
	*err = pages ? 0 : EFAULT;	/* fast_only: 0 pages is its refusal */
	return pages > 0;
}

int alias_try_entry(int e, char *a, int *err, int *confirmed, int baseline)
{
	*err = 0;
	*confirmed = 0;
	switch (e) {
	case E_VMSPLICE:
		return try_vmsplice(a, err, confirmed);
	case E_FUTEX:
		return try_futex(a, err, confirmed, baseline);
	case E_ODIRECT:
		return try_odirect(a, err, confirmed);
	case E_IOURING:
		return try_iouring(a, err, confirmed);
	default:
		return try_kmod(e, a, err);
	}
}

