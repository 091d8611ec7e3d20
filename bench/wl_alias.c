// SPDX-License-Identifier: GPL-2.0
/*
 * wl_alias.c - a correctness check, not a timing: does GUP-fast accept a
 * user address above the run-time VA size, and return another address's
 * pages for it?
 *
 * When an arm64 LPA2 kernel (VA_BITS 52) runs without FEAT_LPA2, the top
 * level is folded at run time and user space has 47 (16K) or 48 (4K) bits,
 * but TASK_SIZE_MAX and access_ok() still allow 52. The 6.12 GUP-fast walk
 * indexes the PGD with the build-time PTRS_PER_PGD and the folded level
 * realigns the pointer to its table page, dropping the bits in between:
 * X | 1 << 47 walks to X's pages (issue 14; configs/patches/0003 fixes
 * it). The hardware faults on such addresses, so only software walks are
 * affected.
 *
 * The check maps 64 KiB MAP_SHARED|MAP_ANONYMOUS at X, fills it with a
 * pattern, and tries every GUP-fast entry point user space can reach at
 * X | 1 << b for b from the run-time VA size to the architecture's largest
 * VA size - 1 (and a bit above), and at X with every bit between the
 * run-time VA size and the largest TASK_SIZE_MAX set (the highest alias
 * just below TASK_SIZE_MAX). The expected answer everywhere is a refusal
 * (EFAULT). Where an entry point accepts, the check looks for X's data:
 * vmsplice returns X's bytes, a shared FUTEX_WAKE wakes a waiter on X, an
 * O_DIRECT / io_uring read lands in X (not with null_blk, which moves no
 * data).
 *
 * Each entry point first has to accept X itself (baseline), or its
 * refusals would prove nothing. The probes run once, at registration,
 * because the verdict goes into the JSON context, which is written before
 * any benchmark runs; each entry point's benchmark (one iteration, manual
 * time = its probes' wall time) carries the counters.
 *
 * kwalk is the module's own copy of the 6.12 walk: it does not call the
 * kernel's gup_fast_permitted(), so a fix there does not change it. It is
 * reported, but not counted in alias_accepted_above_va.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "buffers.h"
#include "gupbench.h"
#include "target.h"
#include "uapi/gupbench.h"

#define ALIAS_LEN	(64 * 1024)
#define ALIAS_MAX_PROBES 24

#if defined(__aarch64__)
#define ALIAS_VA_MAX	52	/* the largest arm64 TASK_SIZE_MAX: 1 << 52 */
#define ALIAS_BIT_MAX	55	/* bits 56..63 are the tag byte (TBI) */
#elif defined(__x86_64__)
#define ALIAS_VA_MAX	56	/* LA57: TASK_SIZE_MAX just below 1 << 56 */
#define ALIAS_BIT_MAX	56
#else
#define ALIAS_VA_MAX	48
#define ALIAS_BIT_MAX	55
#endif

enum entry {
	E_VMSPLICE, E_FUTEX, E_ODIRECT, E_IOURING,
	E_KGUP_FAST, E_KPIN_FAST, E_KPIN_LONGTERM, E_KGUP_FAST_ONLY, E_KWALK,
	E_NR
};

static const char *const entry_names[E_NR] = {
	"vmsplice", "futex", "odirect", "iouring",
	"kmod_gup_fast", "kmod_pin_fast", "kmod_pin_longterm",
	"kmod_gup_fast_only", "kwalk",
};

/* One probe address: X | mask; bit >= 0 for 1 << bit, -1 for "top". */
struct probe {
	unsigned long mask;
	int bit;
};

struct outcome {
	int skipped;
	char why[200];		/* skip or baseline failure */
	int baseline_ok;	/* X itself accepted */
	int checkable;		/* an accepted alias could be told by data */
	int accepted[ALIAS_MAX_PROBES];
	int confirmed[ALIAS_MAX_PROBES];
	int err[ALIAS_MAX_PROBES];	/* errno of a refusal, 0 if none */
	double seconds;
};

static struct {
	int done;
	unsigned int va_bits;
	const char *va_source;
	int kmod_va_bits;	/* -1 without the module */
	struct probe probes[ALIAS_MAX_PROBES];
	int nr_probes;
	struct outcome out[E_NR];
	char *x;
	size_t page;
	int kfd;
	struct gupb_info info;
	char kmod_why[160];
} A = { .kfd = -1, .kmod_va_bits = -1 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(0xa5 ^ (i * 131) ^ (i >> 8));
}

static void fill_x(void)
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

/*
 * The user VA size in bits: the first power of two at which a fixed
 * mapping is refused. Needs MAP_FIXED_NOREPLACE (4.17); an older kernel
 * takes it as a hint and maps elsewhere, which also ends the search.
 */
static unsigned int probe_va_bits(void)
{
	unsigned int b;

	for (b = 32; b < 64; b++) {
		unsigned long a = 1UL << b;
		int tries;

		for (tries = 0; tries < 4; tries++, a += 1UL << 26) {
			void *p = mmap((void *)a, A.page, PROT_NONE,
				       MAP_PRIVATE | MAP_ANONYMOUS |
				       MAP_FIXED_NOREPLACE, -1, 0);

			if (p == (void *)a) {
				munmap(p, A.page);
				break;
			}
			if (p != MAP_FAILED) {
				munmap(p, A.page);
				return b;
			}
			if (errno != EEXIST)
				return b;
		}
		if (tries == 4)
			return b;	/* all taken: an odd layout, stop */
	}
	return 64;
}

static void make_probes(void)
{
	unsigned int b;

	A.nr_probes = 0;
	for (b = A.va_bits; b <= ALIAS_BIT_MAX &&
	     A.nr_probes < ALIAS_MAX_PROBES - 1; b++)
		A.probes[A.nr_probes++] = (struct probe){ 1UL << b, (int)b };
	/* Every bit between the run-time VA size and TASK_SIZE_MAX. */
	if (A.va_bits + 1 < ALIAS_VA_MAX)
		A.probes[A.nr_probes++] = (struct probe){
			(1UL << ALIAS_VA_MAX) - (1UL << A.va_bits), -1 };
}

/* --- the entry points: 1 accepted, 0 refused (errno kept in *err) --- */

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
	struct gupb_target *t = &gupb_odirect_target;
	char *dev = malloc(len);
	int landed = 0;

	if (dev && pread(t->fd_buffered, dev, len, 0) == (ssize_t)len)
		landed = !x_intact(len) && !memcmp(dev, A.x, len);
	free(dev);
	return landed;
}

static int try_odirect(char *a, int *err, int *confirmed)
{
	ssize_t n = pread(gupb_odirect_target.fd, a, A.page, 0);

	*err = n < 0 ? errno : 0;
	if (n > 0)
		*confirmed = read_landed_in_x((size_t)n);
	fill_x();
	return n > 0;
}

static struct io_uring ring;
static int ring_ok;

static int try_iouring(char *a, int *err, int *confirmed)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	struct io_uring_cqe *cqe;
	int res;

	if (!sqe)
		return -1;
	io_uring_prep_read(sqe, gupb_odirect_target.fd, a, (unsigned int)A.page, 0);
	if (io_uring_submit(&ring) != 1 || io_uring_wait_cqe(&ring, &cqe))
		return -1;
	res = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	*err = res < 0 ? -res : 0;
	if (res > 0)
		*confirmed = read_landed_in_x((size_t)res);
	fill_x();
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

static int try_entry(int e, char *a, int *err, int *confirmed, int baseline)
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

static void run_entry(int e)
{
	struct outcome *o = &A.out[e];
	int i, err, conf, ret;
	double t0 = now();

	if ((e == E_ODIRECT || e == E_IOURING) && gupb_odirect_target.fd < 0) {
		o->skipped = 1;
		snprintf(o->why, sizeof(o->why), "no O_DIRECT target: %s",
			 gupb_odirect_target.why);
		return;
	}
	if ((size_t)gupb_odirect_target.size < A.page &&
	    (e == E_ODIRECT || e == E_IOURING)) {
		o->skipped = 1;
		snprintf(o->why, sizeof(o->why), "O_DIRECT target smaller than a page");
		return;
	}
	if (e == E_IOURING && !ring_ok) {
		o->skipped = 1;
		snprintf(o->why, sizeof(o->why), "io_uring_queue_init failed");
		return;
	}
	if (e >= E_KGUP_FAST && A.kfd < 0) {
		o->skipped = 1;
		snprintf(o->why, sizeof(o->why), "module not available: %s",
			 A.kmod_why);
		return;
	}
	fill_x();
	ret = try_entry(e, A.x, &err, &conf, 1);
	o->baseline_ok = ret == 1;
	if (ret != 1) {
		snprintf(o->why, sizeof(o->why), "refuses X itself: %s",
			 ret < 0 ? "setup failed" : strerror(err));
		return;
	}
	/*
	 * Can an accepted alias be told by its data? vmsplice: X's bytes
	 * came back; a read: the device's bytes landed in X (null_blk moves
	 * none); futex: a waiter on X is woken through the alias.
	 */
	o->checkable = e == E_FUTEX || (e <= E_IOURING && conf);
	for (i = 0; i < A.nr_probes; i++) {
		char *a = (char *)((unsigned long)A.x | A.probes[i].mask);

		ret = try_entry(e, a, &err, &conf, 0);
		o->accepted[i] = ret == 1;
		o->confirmed[i] = ret == 1 && conf;
		o->err[i] = ret == 1 ? 0 : err ? err : EIO;
	}
	o->seconds = now() - t0;
}

static const char *probe_name(int i, char *buf, size_t len)
{
	if (A.probes[i].bit >= 0)
		snprintf(buf, len, "%d", A.probes[i].bit);
	else
		snprintf(buf, len, "top%d", ALIAS_VA_MAX);
	return buf;
}

static void bm_alias(struct gb_state *st, void *arg)
{
	int e = (int)(long)arg, i, n = 0, conf = 0, lo = -1, hi = -1, top = 0;
	struct outcome *o = &A.out[e];
	char label[256], nb[16];
	size_t l = 0;

	if (o->skipped) {
		gb_skip(st, "%s", o->why);
		return;
	}
	if (!o->baseline_ok) {
		gb_error(st, "proof of path failed: %s %s", entry_names[e], o->why);
		return;
	}
	while (gb_keep_running(st))
		gb_set_iteration_time(st, o->seconds > 0 ? o->seconds : 1e-9);
	l += snprintf(label + l, sizeof(label) - l, "accepted:");
	for (i = 0; i < A.nr_probes; i++) {
		if (!o->accepted[i])
			continue;
		n++;
		conf |= o->confirmed[i];
		if (A.probes[i].bit < 0) {
			top = 1;
		} else {
			hi = A.probes[i].bit;
			if (lo < 0)
				lo = A.probes[i].bit;
		}
		if (l < sizeof(label))
			l += snprintf(label + l, sizeof(label) - l, " %s%s",
				      probe_name(i, nb, sizeof(nb)),
				      o->confirmed[i] ? "(alias)" : "");
	}
	if (!n)
		snprintf(label, sizeof(label), "all %d refused (%s)", A.nr_probes,
			 A.nr_probes ? strerror(o->err[0]) : "nothing to probe");
	gb_set_label(st, label);
	gb_counter(st, "va_bits", A.va_bits, 0);
	gb_counter(st, "probes", A.nr_probes, 0);
	gb_counter(st, "accepted", n, 0);
	gb_counter(st, "accepted_min_bit", lo, 0);
	gb_counter(st, "accepted_max_bit", hi, 0);
	gb_counter(st, "accepted_top", top, 0);
	gb_counter(st, "alias_checkable", o->checkable, 0);
	gb_counter(st, "alias_confirmed", conf, 0);
	gb_counter(st, "baseline_ok", o->baseline_ok, 0);
}

static void probe_all(const char *kmod_dev)
{
	int e;

	A.page = gupb_page_size();
	A.kfd = open(kmod_dev, O_RDWR | O_CLOEXEC);
	if (A.kfd < 0) {
		snprintf(A.kmod_why, sizeof(A.kmod_why), "%s: %s", kmod_dev,
			 strerror(errno));
	} else if (ioctl(A.kfd, GUPB_IOC_INFO, &A.info) ||
		   A.info.abi_version != GUPB_ABI_VERSION) {
		snprintf(A.kmod_why, sizeof(A.kmod_why), "module ABI %u, expected %u",
			 A.info.abi_version, GUPB_ABI_VERSION);
		close(A.kfd);
		A.kfd = -1;
	} else {
		A.kmod_va_bits = (int)A.info.va_bits;
	}
	/*
	 * The mmap probe gives the user VA size directly; the module's
	 * va_bits is the kernel's (vabits_actual on arm64, 48/57 on x86,
	 * where user space has one bit less). Start at the smaller.
	 */
	A.va_bits = probe_va_bits();
	A.va_source = "mmap probe";
	if (A.kmod_va_bits > 0 && (unsigned int)A.kmod_va_bits < A.va_bits) {
		A.va_bits = (unsigned int)A.kmod_va_bits;
		A.va_source = "module INFO va_bits";
	}
	make_probes();
	A.x = mmap(NULL, ALIAS_LEN, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (A.x == MAP_FAILED) {
		A.x = NULL;
		for (e = 0; e < E_NR; e++) {
			A.out[e].skipped = 1;
			snprintf(A.out[e].why, sizeof(A.out[e].why),
				 "mmap of the 64 KiB shared mapping: %s",
				 strerror(errno));
		}
		return;
	}
	ring_ok = io_uring_queue_init(4, &ring, 0) == 0;
	for (e = 0; e < E_NR; e++)
		run_entry(e);
	if (ring_ok)
		io_uring_queue_exit(&ring);
	A.done = 1;
}

static void set_context(void)
{
	char acc[256] = "", conf[128] = "", skip[256] = "", bits[160] = "";
	char kw[8] = "n/a", nb[16];
	size_t la = 0, lc = 0, ls = 0, lb = 0;
	int e, i;

	for (i = 0; i < A.nr_probes; i++)
		lb += snprintf(bits + lb, sizeof(bits) - lb, "%s%s", i ? "," : "",
			       probe_name(i, nb, sizeof(nb)));
	for (e = 0; e < E_NR; e++) {
		struct outcome *o = &A.out[e];
		int any = 0, c = 0;

		if (o->skipped || !o->baseline_ok) {
			if (ls < sizeof(skip))
				ls += snprintf(skip + ls, sizeof(skip) - ls, "%s%s",
					       ls ? "," : "", entry_names[e]);
			continue;
		}
		for (i = 0; i < A.nr_probes; i++) {
			any |= o->accepted[i];
			c |= o->confirmed[i];
		}
		if (e == E_KWALK) {
			snprintf(kw, sizeof(kw), "%s", any ? "yes" : "no");
			continue;
		}
		if (any && la < sizeof(acc))
			la += snprintf(acc + la, sizeof(acc) - la, "%s%s",
				       la ? "," : "", entry_names[e]);
		if (c && lc < sizeof(conf))
			lc += snprintf(conf + lc, sizeof(conf) - lc, "%s%s",
				       lc ? "," : "", entry_names[e]);
	}
	gb_contextf("alias_va_bits_runtime", "%u", A.va_bits);
	gb_contextf("alias_va_bits_source", "%s", A.va_source);
	if (A.kmod_va_bits >= 0)
		gb_contextf("alias_va_bits_kmod", "%d", A.kmod_va_bits);
	gb_contextf("alias_probe_bits", "%s", A.nr_probes ? bits : "none");
	gb_context("alias_accepted_above_va", la ? "yes" : "no");
	gb_context("alias_entry_points_accepted", la ? acc : "none");
	gb_context("alias_confirmed", lc ? "yes" : "no");
	gb_context("alias_confirmed_by", lc ? conf : "none");
	gb_context("alias_kwalk_accepted", kw);
	gb_context("alias_entry_points_not_checked", ls ? skip : "none");
}

static int reg(const struct gupb_config *cfg)
{
	struct gb_opts opts = { .manual_time = true, .iterations = 1,
				.repetitions = 1 };
	char name[64];
	long e;
	int ret;

	if (!A.done)
		probe_all(cfg->kmod_dev);
	set_context();
	for (e = 0; e < E_NR; e++) {
		snprintf(name, sizeof(name), "alias/entry:%s", entry_names[e]);
		ret = gb_register(name, bm_alias, (void *)e, &opts);
		if (ret)
			return ret;
	}
	return 0;
}

static void cleanup(void)
{
	if (A.x)
		munmap(A.x, ALIAS_LEN);
	A.x = NULL;
	if (A.kfd >= 0)
		close(A.kfd);
	A.kfd = -1;
}

const struct gupb_workload gupb_wl_alias = {
	.name = "alias",
	.summary = "correctness: GUP-fast must refuse user addresses above the run-time VA size",
	.register_fn = reg,
	.cleanup_fn = cleanup,
};
