// SPDX-License-Identifier: GPL-2.0
/*
 * alias_probe.c - the alias check's run (bench/wl_alias.c): the run-time
 * VA size, the probe addresses, each entry point tried at X and at every
 * probe, once per run, at registration.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alias.h"
#include "buffers.h"

struct alias_state A = { .kfd = -1, .kmod_va_bits = -1 };
const char *const gupb_alias_entry_names[E_NR + 1] = {
	"vmsplice", "futex", "odirect", "iouring",
	"kmod_gup_fast", "kmod_pin_fast", "kmod_pin_longterm",
	"kmod_gup_fast_only", "kwalk", NULL
};

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

static void run_entry(int e)
{
	struct outcome *o = &A.out[e];
	int i, err, conf, ret;
	double t0 = alias_now();

	if ((e == E_ODIRECT || e == E_IOURING) && A.t->fd < 0) {
		o->skipped = 1;
		snprintf(o->why, sizeof(o->why), "no O_DIRECT target: %s",
			 A.t->why);
		return;
	}
	if ((size_t)A.t->size < A.page &&
	    (e == E_ODIRECT || e == E_IOURING)) {
		o->skipped = 1;
		snprintf(o->why, sizeof(o->why), "O_DIRECT target smaller than a page");
		return;
	}
	if (e == E_IOURING && !A.ring_ok) {
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
	alias_fill_x();
	ret = alias_try_entry(e, A.x, &err, &conf, 1);
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

		ret = alias_try_entry(e, a, &err, &conf, 0);
		o->accepted[i] = ret == 1;
		o->confirmed[i] = ret == 1 && conf;
		o->err[i] = ret == 1 ? 0 : err ? err : EIO;
	}
	o->seconds = alias_now() - t0;
}

const char *alias_probe_name(int i, char *buf, size_t len)
{
	if (A.probes[i].bit >= 0)
		snprintf(buf, len, "%d", A.probes[i].bit);
	else
		snprintf(buf, len, "top%d", ALIAS_VA_MAX);
	return buf;
}

void alias_probe_all(struct gupb_ctx *ctx)
{
	int e;

	A.page = gupb_page_size();
	A.t = &ctx->target;
	A.kfd = ctx->kfd;
	A.kmod_why = ctx->kmod_why;
	if (A.kfd >= 0) {
		A.info = ctx->kinfo;
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
	A.ring_ok = io_uring_queue_init(4, &A.ring, 0) == 0;
	for (e = 0; e < E_NR; e++)
		run_entry(e);
	if (A.ring_ok)
		io_uring_queue_exit(&A.ring);
	A.done = 1;
}

void alias_unmap(void)
{
	if (A.x)
		munmap(A.x, ALIAS_LEN);
	A.x = NULL;
}
