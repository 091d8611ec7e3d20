// SPDX-License-Identifier: GPL-2.0
/*
 * alias_probe.c - the alias check's run (bench/wl_alias.c): the run-time
 * VA size, the probe addresses, each entry point (every workload's probe
 * hooks) tried at X and at every probe address, once per run, in the
 * probe phase.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "checks/alias.h"
#include "sys/buffers.h"
#include "sys/clock.h"

static struct alias_result R = { .kmod_va_bits = -1 };
static char *x;		/* X: the shared mapping probed through */
static size_t page;
static bool done;

static unsigned char pattern(size_t i)
{
	return (unsigned char)(0xa5 ^ (i * 131) ^ (i >> 8));
}

static void fill_x(void)
{
	size_t i;

	for (i = 0; i < ALIAS_LEN; i++)
		x[i] = (char)pattern(i);
}

static bool x_intact(size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)x[i] != pattern(i))
			return false;
	return true;
}

/* After an accepted read into an address: did the target's bytes land in X? */
static bool read_landed_in_x(const struct gupb_ctx *ctx, size_t len)
{
	char *dev = malloc(len);
	bool landed = false;

	if (dev && pread(ctx->target.fd_buffered, dev, len, 0) == (ssize_t)len)
		landed = !x_intact(len) && !memcmp(dev, x, len);
	free(dev);
	return landed;
}

/*
 * One probe of entry p at addr: its verdict (enum gupb_probe_ret); on
 * acceptance, *conf: X's data came through (bytes read back, a read that
 * landed in X, a woken waiter). why: a skip's reason.
 */
static int try(struct gupb_ctx *ctx, const struct gupb_probe *p, char *addr,
	       bool baseline, int *err, int *conf, char *why, size_t len)
{
	struct gupb_probe_io io = { .x = x, .len = page, .baseline = baseline };
	int ret = p->fn(ctx, addr, &io);

	*err = io.err;
	*conf = ret == GUPB_PROBE_ACCEPTED &&
		(io.confirmed || (io.got_len && !memcmp(io.got, x, io.got_len)) ||
		 ((p->flags & GUPB_PROBE_READS_TARGET) &&
		  read_landed_in_x(ctx, page)));
	if (p->flags & GUPB_PROBE_READS_TARGET)
		fill_x();
	if (ret == GUPB_PROBE_SKIP)
		snprintf(why, len, "%s", io.why);
	return ret;
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
			void *p = mmap((void *)a, page, PROT_NONE,
				       MAP_PRIVATE | MAP_ANONYMOUS |
				       MAP_FIXED_NOREPLACE, -1, 0);

			if (p == (void *)a) {
				munmap(p, page);
				break;
			}
			if (p != MAP_FAILED) {
				munmap(p, page);
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

	R.nr_probes = 0;
	for (b = R.va_bits; b <= ALIAS_BIT_MAX &&
	     R.nr_probes < ALIAS_MAX_PROBES - 1; b++)
		R.probes[R.nr_probes++] = (struct probe){ 1UL << b, (int)b };
	/* Every bit between the run-time VA size and TASK_SIZE_MAX. */
	if (R.va_bits + 1 < ALIAS_VA_MAX)
		R.probes[R.nr_probes++] = (struct probe){
			(1UL << ALIAS_VA_MAX) - (1UL << R.va_bits), -1 };
}

static void run_entry(struct gupb_ctx *ctx, size_t e)
{
	const struct gupb_probe *p = R.entry[e];
	struct outcome *o = &R.out[e];
	int i, err, conf, ret;
	double t0 = gupb_now();

	fill_x();
	ret = try(ctx, p, x, true, &err, &conf, o->why, sizeof(o->why));
	if (ret == GUPB_PROBE_SKIP) {
		o->skipped = 1;
		return;
	}
	o->baseline_ok = ret == GUPB_PROBE_ACCEPTED;
	if (!o->baseline_ok) {
		snprintf(o->why, sizeof(o->why), "refuses X itself: %s",
			 ret < 0 ? "setup failed" : strerror(err));
		return;
	}
	/*
	 * Can an accepted alias be told by its data? vmsplice: X's bytes
	 * came back; a read: the device's bytes landed in X (null_blk moves
	 * none); futex: a waiter on X is woken through the alias.
	 */
	o->checkable = (p->flags & GUPB_PROBE_WAKES) || conf;
	for (i = 0; i < R.nr_probes; i++) {
		char *a = (char *)((unsigned long)x | R.probes[i].mask);
		char why[200];

		ret = try(ctx, p, a, false, &err, &conf, why, sizeof(why));
		o->accepted[i] = ret == GUPB_PROBE_ACCEPTED;
		o->confirmed[i] = o->accepted[i] && conf;
		o->err[i] = o->accepted[i] ? 0 : err ? err : EIO;
	}
	o->seconds = gupb_now() - t0;
}

const char *alias_probe_name(const struct alias_result *r, int i, char *buf,
			     size_t len)
{
	if (r->probes[i].bit >= 0)
		snprintf(buf, len, "%d", r->probes[i].bit);
	else
		snprintf(buf, len, "top%d", ALIAS_VA_MAX);
	return buf;
}

const struct alias_result *alias_run(struct gupb_ctx *ctx)
{
	size_t e;

	if (done)
		return &R;
	done = true;
	page = gupb_page_size();
	R.entry = gupb_probes(&R.nr_entries);
	if (R.nr_entries > ALIAS_MAX_ENTRIES)
		R.nr_entries = ALIAS_MAX_ENTRIES;
	if (ctx->kfd >= 0)
		R.kmod_va_bits = (int)ctx->kinfo.va_bits;
	/*
	 * The mmap probe gives the user VA size directly; the module's
	 * va_bits is the kernel's (vabits_actual on arm64, 48/57 on x86,
	 * where user space has one bit less). Start at the smaller.
	 */
	R.va_bits = probe_va_bits();
	R.va_source = "mmap probe";
	if (R.kmod_va_bits > 0 && (unsigned int)R.kmod_va_bits < R.va_bits) {
		R.va_bits = (unsigned int)R.kmod_va_bits;
		R.va_source = "module INFO va_bits";
	}
	make_probes();
	x = mmap(NULL, ALIAS_LEN, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (x == MAP_FAILED) {
		x = NULL;
		for (e = 0; e < R.nr_entries; e++) {
			R.out[e].skipped = 1;
			snprintf(R.out[e].why, sizeof(R.out[e].why),
				 "mmap of the 64 KiB shared mapping: %s",
				 strerror(errno));
		}
		return &R;
	}
	for (e = 0; e < R.nr_entries; e++)
		run_entry(ctx, e);
	return &R;
}

void alias_unmap(void)
{
	if (x)
		munmap(x, ALIAS_LEN);
	x = NULL;
}
