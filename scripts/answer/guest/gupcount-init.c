// SPDX-License-Identifier: GPL-2.0
/*
 * gupcount-init.c - /init of the exact-count boots (scripts/answer/counts.sh).
 *
 * Runs as PID 1 with nothing else in user space, so that the only thread
 * making syscalls is this one: the QEMU plugin (scripts/answer/plugin)
 * splits its counts at every execution of the getppid syscall, and a
 * shell would call getppid on its own (busybox sets $PPID that way).
 *
 * Each workload: a warm-up of N calls (faults the pages in, fills caches
 * and the TLB of the emulator, takes every lazy first-time path), then a
 * marker, the N measured calls, a marker. So phase 2k+1 after boot holds
 * workload k's measured calls, and the even phases the warm-ups. Each
 * measured phase is checked (the module got every page, the futex
 * returned 0, each pread returned 4096 and pinned) and reported as
 *   GUPB-PHASE <phase> <workload> <calls> ok|FAIL <detail>
 * then GUPB-DONE; counts.sh refuses a run without GUPB-DONE or with FAIL.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "uapi/gupbench.h"

#define CALLS		1000	/* per phase; counts.sh checks this number */
#define IO_SIZE		4096

static unsigned int markers;	/* getppid markers made so far */
static int failures;

/* A phase boundary for the plugin: getppid enters __arm64_sys_getppid. */
static void marker(void)
{
	syscall(SYS_getppid);
	markers++;
}

static void report(const char *name, int ok, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	/* The measured phase is the one that the last marker closed. */
	printf("GUPB-PHASE %u %s %u %s %s\n", markers - 1, name, CALLS,
	       ok ? "ok" : "FAIL", detail);
	fflush(stdout);
	if (!ok)
		failures++;
}

static void *map_page(size_t len, int shared)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* Fault it in writable, so no call of the workload faults. */
	memset(p, 0x5a, len);
	return p;
}

static long vmstat(const char *key)
{
	char line[128];
	size_t n = strlen(key);
	long v = -1;
	FILE *f;
	int fd;

	/*
	 * /proc/vmstat lags the per-CPU deltas (a warm-up pin showed up in
	 * the measured phase's difference); stat_refresh folds them first.
	 */
	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);
	if (fd < 0 || write(fd, "1", 1) != 1) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ' ')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/* (a) get_user_pages_fast_only() of one page, CALLS times, in the module. */
static int gup_run(int fd, void *page, size_t psz, struct gupb_run *r)
{
	memset(r, 0, sizeof(*r));
	r->addr = (uintptr_t)page;
	r->len = psz;
	r->op = GUPB_OP_GUP_FAST_ONLY;
	r->nr_pages = 1;
	r->iterations = CALLS;
	return ioctl(fd, GUPB_IOC_RUN, r);
}

static void workload_gup_fast_only(size_t psz)
{
	const char *name = "gup_fast_only_1page";
	struct gupb_run r;
	int fd, ret;
	void *page;

	fd = open("/dev/gupbench", O_RDWR);
	page = map_page(psz, 0);
	if (fd < 0 || !page) {
		marker();
		marker();
		report(name, 0, "setup: %s", strerror(errno));
		return;
	}
	ret = gup_run(fd, page, psz, &r);
	marker();
	ret = ret ? ret : gup_run(fd, page, psz, &r);
	marker();
	if (ret)
		report(name, 0, "GUPB_IOC_RUN: %s", strerror(errno));
	else
		report(name, r.stats[0].calls == CALLS &&
		       r.stats[0].pages == CALLS && !r.stats[0].short_returns,
		       "module_calls=%llu pages=%llu short=%llu",
		       (unsigned long long)r.stats[0].calls,
		       (unsigned long long)r.stats[0].pages,
		       (unsigned long long)r.stats[0].short_returns);
	munmap(page, psz);
	close(fd);
}

/* (b) FUTEX_WAKE on a shared page: get_futex_key() -> get_user_pages_fast(). */
static long futex_wake_n(uint32_t *uaddr, unsigned int n, unsigned int *bad)
{
	long ret, last = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		/* Not FUTEX_PRIVATE_FLAG: a shared futex pins the page. */
		ret = syscall(SYS_futex, uaddr, FUTEX_WAKE, 1, NULL, NULL, 0);
		if (ret) {
			(*bad)++;
			last = ret;
		}
	}
	return last;
}

static void workload_futex_shared(size_t psz)
{
	const char *name = "futex_shared";
	unsigned int bad = 0;
	uint32_t *page = map_page(psz, 1);
	long last;

	if (!page) {
		marker();
		marker();
		report(name, 0, "mmap: %s", strerror(errno));
		return;
	}
	futex_wake_n(page, CALLS, &bad);
	marker();
	bad = 0;
	last = futex_wake_n(page, CALLS, &bad);
	marker();
	report(name, !bad, "nonzero_returns=%u last=%ld", bad, last);
	munmap(page, psz);
}

/* (c) O_DIRECT 4 KiB pread from null_blk: bio_iov_iter_get_pages() pins. */
static unsigned int pread_n(int fd, void *buf, unsigned int n, long *last)
{
	unsigned int i, bad = 0;
	ssize_t ret;

	for (i = 0; i < n; i++) {
		ret = pread(fd, buf, IO_SIZE, 0);
		if (ret != IO_SIZE) {
			bad++;
			*last = ret < 0 ? -errno : ret;
		}
	}
	return bad;
}

static void workload_odirect_4k(size_t psz)
{
	const char *name = "odirect_4k";
	long last = IO_SIZE, pins0, pins1;
	unsigned int bad;
	void *buf = map_page(psz, 0);
	int fd = open("/dev/nullb0", O_RDONLY | O_DIRECT);

	if (fd < 0 || !buf) {
		marker();
		marker();
		report(name, 0, "setup: %s", strerror(errno));
		return;
	}
	pread_n(fd, buf, CALLS, &last);
	pins0 = vmstat("nr_foll_pin_acquired");
	marker();
	bad = pread_n(fd, buf, CALLS, &last);
	marker();
	pins1 = vmstat("nr_foll_pin_acquired");
	/* One pin per read proves the read went through GUP, not around it. */
	report(name, !bad && pins0 >= 0 && pins1 - pins0 == CALLS,
	       "short_reads=%u last=%ld pins=%ld", bad, last, pins1 - pins0);
	munmap(buf, psz);
	close(fd);
}

static void load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
		printf("GUPB-ERROR insmod %s: %s\n", path, strerror(errno));
		failures++;
	}
	if (fd >= 0)
		close(fd);
}

static void console(void)
{
	int fd;

	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	/* An initramfs without /dev/console leaves PID 1 with no stdio. */
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
}

int main(void)
{
	size_t psz = sysconf(_SC_PAGESIZE);
	struct gupb_info info;
	struct utsname u;
	int fd;

	console();
	uname(&u);
	printf("GUPB-KERNEL %s\n", u.release);
	load_module("/gupbench.ko");
	fd = open("/dev/gupbench", O_RDWR);
	memset(&info, 0, sizeof(info));
	if (fd >= 0 && !ioctl(fd, GUPB_IOC_INFO, &info))
		printf("GUPB-INFO page_shift=%u pgtable_levels=%u levels_runtime=%u l4_enabled=%u l5_enabled=%u va_bits=%u\n",
		       info.page_shift, info.pgtable_levels, info.levels_runtime,
		       info.l4_enabled, info.l5_enabled, info.va_bits);
	else
		printf("GUPB-INFO unavailable: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);

	/* Phase 0 is boot and the first warm-up; see the comment on top. */
	workload_gup_fast_only(psz);
	workload_futex_shared(psz);
	workload_odirect_4k(psz);
	printf("GUPB-%s failures=%d\n", failures ? "FAILED" : "DONE", failures);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	/* Not reached on arm64 virt (PSCI SYSTEM_OFF); panic=-1 exits too. */
	return 1;
}
