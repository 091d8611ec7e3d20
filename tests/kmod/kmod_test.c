// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_test.c - behaviour of /dev/gupbench, kselftest-style TAP.
 *
 * INFO reports the expected state (GUPB_EXPECT_LEVELS, GUPB_EXPECT_L4,
 * GUPB_EXPECT_L5 when set); every op gets exactly the pages asked and
 * leaves FOLL_PIN accounting balanced; every walk variant finds every
 * page; bad input gets the documented errno and pins nothing.
 * Exit 4 (skip) when the module is not loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi/gupbench.h"
#include "../tap.h"

#define KSFT_SKIP 4

static int fd;
static long page;


static long long vmstat(const char *key)
{
	char line[128];
	long long v = -1;
	size_t kl = strlen(key);
	FILE *f;
	int r = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (r >= 0) {
		if (write(r, "1", 1) < 0)
			(void)0;
		close(r);
	}
	f = fopen("/proc/vmstat", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ' ')
			v = atoll(line + kl + 1);
	if (f)
		fclose(f);
	return v;
}

static int run(struct gupb_run *r)
{
	return ioctl(fd, GUPB_IOC_RUN, r) ? errno : 0;
}

static struct gupb_run req(void *addr, size_t len, unsigned int op,
			   unsigned int nr_pages, unsigned int iters)
{
	struct gupb_run r;

	memset(&r, 0, sizeof(r));
	r.addr = (unsigned long)addr;
	r.len = len;
	r.op = op;
	r.nr_pages = nr_pages;
	r.iterations = iters;
	r.flags = op == GUPB_OP_WALK ? 0 : GUPB_F_WRITE;
	return r;
}

static void expect_errno(const char *what, struct gupb_run r, int want)
{
	int got = run(&r);

	ok(got == want, "bad input: %s -> %s (got %s)", what, strerror(want),
	   strerror(got));
}

int main(void)
{
	static const char *const ops[] = { "gup_fast", "pin_fast",
		"pin_longterm", "gup_fast_only" };
	struct gupb_info info;
	struct gupb_run r;
	size_t npages = 64, len;
	long long acq0, rel0, acq, rel;
	char *buf, *none;
	const char *e;
	int op, v;

	page = sysconf(_SC_PAGESIZE);
	len = npages * page;
	fd = open("/dev/gupbench", O_RDWR);
	if (fd < 0) {
		printf("1..0 # SKIP /dev/gupbench: %s\n", strerror(errno));
		return KSFT_SKIP;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	none = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || none == MAP_FAILED)
		return 1;
	memset(buf, 1, len);

	ok(ioctl(fd, GUPB_IOC_INFO, &info) == 0 &&
	   info.abi_version == GUPB_ABI_VERSION, "INFO: abi %u", info.abi_version);
	ok((1L << info.page_shift) == page, "INFO: page_shift %u matches %ld",
	   info.page_shift, page);
	printf("# levels %u runtime %u l4 %u l5 %u va_bits %u lpa2 %u valid 0x%x differ %u clock %s %llu Hz\n",
	       info.pgtable_levels, info.levels_runtime, info.l4_enabled,
	       info.l5_enabled, info.va_bits, info.lpa2, info.variants_valid,
	       info.variants_differ, info.clock,
	       (unsigned long long)info.clock_hz);
	e = getenv("GUPB_EXPECT_LEVELS");
	if (e)
		ok(info.levels_runtime == (unsigned int)atoi(e),
		   "INFO: %u levels at run time, expected %s",
		   info.levels_runtime, e);
	e = getenv("GUPB_EXPECT_L4");
	if (e)
		ok(info.l4_enabled == (unsigned int)atoi(e),
		   "INFO: pgtable_l4_enabled %u, expected %s", info.l4_enabled, e);
	e = getenv("GUPB_EXPECT_L5");
	if (e)
		ok(info.l5_enabled == (unsigned int)atoi(e),
		   "INFO: pgtable_l5_enabled %u, expected %s", info.l5_enabled, e);
	ok(info.variants_valid & (1U << GUPB_VARIANT_LIVE),
	   "INFO: the live variant is always valid");

	acq0 = vmstat("nr_foll_pin_acquired");
	rel0 = vmstat("nr_foll_pin_released");
	for (op = 0; op < 4; op++) {
		long long a0 = vmstat("nr_foll_pin_acquired");
		int pins = op == GUPB_OP_PIN_FAST || op == GUPB_OP_PIN_LONGTERM;

		r = req(buf, len, op, 16, 8);
		ok(run(&r) == 0 && r.stats[0].pages == 8 * 16 &&
		   r.stats[0].calls == 8 && r.stats[0].short_returns == 0 &&
		   r.stats[0].ns_min <= r.stats[0].ns_p50 &&
		   r.stats[0].ns_p50 <= r.stats[0].ns_max,
		   "%s: 8 calls x 16 pages, times ordered (min %llu p50 %llu max %llu ns)",
		   ops[op], (unsigned long long)r.stats[0].ns_min,
		   (unsigned long long)r.stats[0].ns_p50,
		   (unsigned long long)r.stats[0].ns_max);
		ok(vmstat("nr_foll_pin_acquired") - a0 == (pins ? 128 : 0),
		   "%s: %s", ops[op], pins ? "pinned exactly 128 pages" :
		   "took references, not pins");
	}
	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		if (!(info.variants_valid & (1U << v))) {
			r = req(buf, len, GUPB_OP_WALK, 0, 4);
			r.variant_mask = 1U << v;
			expect_errno("unsafe walk variant refused", r, EOPNOTSUPP);
			continue;
		}
		r = req(buf, len, GUPB_OP_WALK, 0, 16);
		r.variant_mask = info.variants_valid;
		ok(run(&r) == 0 && r.stats[v].pages == 16 * npages &&
		   r.stats[v].calls == 16,
		   "walk variant %d finds all %zu pages (interleaved, mask 0x%x)",
		   v, npages, info.variants_valid);
	}

	expect_errno("unaligned address", req(buf + 1, page, 1, 1, 1), EINVAL);
	expect_errno("zero length", req(buf, 0, 1, 1, 1), EINVAL);
	expect_errno("huge length", req(buf, (size_t)GUPB_MAX_LEN * 2, 1, 1, 1),
		     EINVAL);
	expect_errno("absurd nr_pages", req(buf, len, 1, 100000, 1), EINVAL);
	expect_errno("nr_pages beyond the range", req(buf, page, 1, 2, 1),
		     EINVAL);
	expect_errno("zero iterations", req(buf, len, 1, 1, 0), EINVAL);
	expect_errno("unknown op", req(buf, len, 99, 1, 1), EINVAL);
	r = req(buf, len, 1, 1, 1);
	r.reserved_in[0] = 1;
	expect_errno("reserved field set", r, EINVAL);
	r = req(buf, len, 1, 1, 1);
	r.flags = 0x80;
	expect_errno("unknown flag", r, EINVAL);
	expect_errno("kernel address",
		     req((void *)(~0UL << 48 & ~(page - 1UL)), page, 1, 1, 1),
		     EFAULT);
	expect_errno("PROT_NONE range", req(none, len, 1, 1, 1), EFAULT);
	munmap(none, len);
	expect_errno("unmapped range", req(none, len, 1, 1, 1), EFAULT);
	r = req(none, len, GUPB_OP_WALK, 0, 1);
	r.variant_mask = 1;
	expect_errno("walk of an unmapped range", r, EFAULT);
	ok(ioctl(fd, _IO(GUPB_IOC_MAGIC, 77), 0) < 0 && errno == ENOTTY,
	   "unknown ioctl -> ENOTTY");

	acq = vmstat("nr_foll_pin_acquired") - acq0;
	rel = vmstat("nr_foll_pin_released") - rel0;
	ok(acq == rel && acq > 0, "pins balanced after everything (%lld acquired, %lld released)",
	   acq, rel);
	return tap_done();
}
