// SPDX-License-Identifier: GPL-2.0
/*
 * thp_pin_race.c - issue 23: a FOLL_LONGTERM pin (io_uring buffer
 * registration) that migrates an anonymous THP out of ZONE_MOVABLE, raced
 * by a partial zap of the folio just after migration remapped it.
 *
 * 6.12.y's backport of "mm: migrate: requeue destination folio on
 * deferred split queue" requeues the new folio with
 * deferred_split_folio(dst, false) after remove_migration_ptes(): from
 * then on another thread can unmap part of dst, which marks it partially
 * mapped (deferred_split_folio(dst, true) from the rmap), and the requeue
 * then trips VM_WARN_ON_FOLIO(folio_test_partially_mapped(folio)) under
 * CONFIG_DEBUG_VM. Upstream moved the requeue before
 * remove_migration_ptes() (3bac01168982, "mm: fix deferred split queue
 * races during migration").
 *
 * One round, with no module and no privilege beyond what io_uring needs:
 *  1. fault one PMD-sized THP, PMD-mapped, in ZONE_MOVABLE (movablecore=
 *     on the kernel command line); a fresh THP sits on the deferred split
 *     queue, not partially mapped;
 *  2. register it as an io_uring buffer: GUP pins it FOLL_LONGTERM, finds
 *     it movable, unpins and migrates it (PMD migration entry);
 *  3. a second thread polls /proc/self/pagemap: once page X is a migration
 *     entry it zaps X (MADV_DONTNEED of one page splits the PMD migration
 *     entry into pte ones), then it waits until page Y is present again
 *     (remove_migration_ptes() has put dst in) and zaps Y at once: the
 *     requeue that follows in migrate_folio_move() finds dst partially
 *     mapped.
 * The window is the rest of remove_migration_ptes()'s rmap walk, widened
 * by forked children whose VMAs share the anon_vma: each has a pte table
 * of its own under the range (a COW of one page), and the walk checks all
 * of its ptes for the folio. It is still a race: the program
 * repeats rounds, each in a process of its own, until
 * /sys/kernel/warn_count moves, or --iterations, or --seconds. The verdict (which WARNING, where) is read from dmesg by
 * tests/vm/check.py; this program asserts that the preconditions held:
 * THPs in ZONE_MOVABLE, migrated by the pin, the window reached.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"

#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
#define PM_PFN(e) ((e) & ((1ULL << 55) - 1))
#define KPF_THP 22

enum { IDLE, ARMED, QUIT };

/* what the rounds (one process each) add up, in a shared mapping */
struct counts {
	unsigned long rounds, in_movable, migrated, still_thp, reg_fail;
	unsigned long seen_migration, zapped_remapped;
	int last_errno;
};

static long psz, hsz;
static char *buf;
static int pagemap_fd, kpf_fd;
static _Atomic int state = IDLE, busy;
static long x_page = 1, y_page = 2;
static struct counts *cnt;
static unsigned long mstart, mend;

static uint64_t pagemap(long idx)
{
	uint64_t e = 0;
	off_t off = ((uintptr_t)buf / psz + idx) * sizeof(e);

	if (pread(pagemap_fd, &e, sizeof(e), off) != sizeof(e))
		return 0;
	return e;
}

static void zap(long idx)
{
	madvise(buf + idx * psz, psz, MADV_DONTNEED);
}

static void *zapper(void *arg)
{
	(void)arg;
	for (;;) {
		int s;

		while ((s = atomic_load(&state)) == IDLE)
			;
		if (s == QUIT)
			return NULL;
		atomic_store(&busy, 1);
		/* 1: wait for the migration entry, split it by zapping X */
		while (atomic_load(&state) == ARMED) {
			if (pagemap(x_page) & PM_SWAP) {
				cnt->seen_migration++;
				zap(x_page);
				break;
			}
		}
		/* 2: Y remapped to dst: zap it before the requeue */
		while (atomic_load(&state) == ARMED) {
			uint64_t e = pagemap(y_page);

			if (e & PM_PRESENT) {
				zap(y_page);
				cnt->zapped_remapped++;
				break;
			}
			if (!(e & PM_SWAP))
				break;
		}
		while (atomic_load(&state) == ARMED)
			;
		atomic_store(&busy, 0);
	}
}

/* [start, end) pfns of zone "Movable" from /proc/zoneinfo; 0 if none */
static int movable_zone(unsigned long *start, unsigned long *end)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256], zone[32] = "";
	unsigned long spanned = 0, sp;
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %*d, zone %31s", zone) == 1)
			continue;
		if (sscanf(line, " spanned %lu", &sp) == 1)
			spanned = sp;
		if (!strcmp(zone, "Movable") &&
		    sscanf(line, " start_pfn: %lu", start) == 1 && spanned) {
			*end = *start + spanned;
			found = 1;
		}
	}
	fclose(f);
	return found;
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int is_thp(uint64_t pfn)
{
	uint64_t fl = 0;

	if (pread(kpf_fd, &fl, sizeof(fl), pfn * sizeof(fl)) != sizeof(fl))
		return 0;
	return !!(fl & (1ULL << KPF_THP));
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void usage(const char *prog, int rc)
{
	fprintf(rc ? stderr : stdout,
		"usage: %s [--iterations N] [--seconds S] [--children N]\n"
		"  rounds of: fault a THP in ZONE_MOVABLE, io_uring-register it\n"
		"  (FOLL_LONGTERM: migrated) while a thread zaps a page of it\n"
		"  just after migration remapped it; stops at the first kernel\n"
		"  warning (/sys/kernel/warn_count). TAP on stdout.\n", prog);
	exit(rc);
}

static long arg_long(const char *opt, const char *s, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min) {
		fprintf(stderr, "thp_pin_race: bad --%s '%s' (an integer >= %ld)\n",
			opt, s, min);
		exit(2);
	}
	return v;
}

/*
 * One round in a process of its own: a THP needs a pmd_none() PMD, and
 * the zap that splits the migration entry leaves a pte table behind that
 * MADV_DONTNEED does not free; the children must join the VMA's anon_vma.
 */
static int one_round(long round, long nchildren)
{
	struct iovec iov;
	struct io_uring_params p;
	int ring, pipefd[2], ready[2];
	long nready = 0;
	pthread_t thr;
	uint64_t e;
	char *map;

	/* this process's own page map (the parent's fd reads the parent) */
	close(pagemap_fd);
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	map = mmap(NULL, 2 * hsz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&p, 0, sizeof(p));
	ring = syscall(__NR_io_uring_setup, 4, &p);
	if (pagemap_fd < 0 || map == MAP_FAILED || ring < 0 || pipe(pipefd)) {
		cnt->last_errno = errno;
		return 1;
	}
	buf = (char *)(((uintptr_t)map + hsz - 1) & ~((uintptr_t)hsz - 1));
	madvise(buf, hsz, MADV_HUGEPAGE);
	buf[0] = 1;	/* the anon_vma, before fork: the children join it */
	if (pipe(ready))
		return 1;
	for (long i = 0; i < nchildren; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			char ch = 0;

			/*
			 * A pte table of our own under the THP's range (a COW
			 * of one page): the rmap walk checks all of its ptes.
			 */
			prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
			buf[hsz - psz] = 2;
			close(pipefd[1]);
			if (write(ready[1], &ch, 1) != 1)
				_exit(1);
			while (read(pipefd[0], &ch, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		if (pid < 0)
			break;
		nready++;
	}
	close(pipefd[0]);
	close(ready[1]);
	while (nready > 0) {
		char ch;

		if (read(ready[0], &ch, 1) == 1)
			nready--;
		else if (errno != EINTR)
			break;
	}
	/*
	 * A THP of our own, not shared with the children (a shared one is
	 * COW-unshared by the write pin, and partially mapped in them):
	 * one fault, PMD-mapped.
	 */
	madvise(buf, hsz, MADV_DONTNEED);
	buf[0] = 1;
	e = pagemap(0);
	if (!(e & PM_PRESENT) || !is_thp(PM_PFN(e)) ||
	    PM_PFN(e) < mstart || PM_PFN(e) >= mend)
		goto out;
	cnt->in_movable++;
	/* vary the zapped pages, keep them in one pte table */
	x_page = 1 + round % 7;
	y_page = x_page + 1 + round % 5;
	pthread_create(&thr, NULL, zapper, NULL);
	atomic_store(&state, ARMED);
	iov.iov_base = buf;
	iov.iov_len = hsz;
	if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS,
		    &iov, 1) < 0) {
		cnt->reg_fail++;
		cnt->last_errno = errno;
	} else {
		e = pagemap(0);
		if (PM_PFN(e) < mstart || PM_PFN(e) >= mend) {
			cnt->migrated++;
			cnt->still_thp += is_thp(PM_PFN(e));
		}
	}
	atomic_store(&state, QUIT);
	pthread_join(thr, NULL);
out:
	close(pipefd[1]);
	while (wait(NULL) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iterations", required_argument, NULL, 'i' },
		{ "seconds", required_argument, NULL, 's' },
		{ "children", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long iterations = 400, seconds = 240, nchildren = 64, warn0, warn;
	int c, ring;
	double t0;

	while ((c = getopt_long(argc, argv, "i:s:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': iterations = arg_long("iterations", optarg, 1); break;
		case 's': seconds = arg_long("seconds", optarg, 1); break;
		case 'c': nchildren = arg_long("children", optarg, 0); break;
		case 'h': usage(argv[0], 0); break;
		default: usage(argv[0], 2);
		}
	}
	if (optind != argc)
		usage(argv[0], 2);
	psz = sysconf(_SC_PAGESIZE);
	hsz = read_long("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
	if (hsz <= 0) {
		skip("thp_pin_race: no THP (hpage_pmd_size unreadable)");
		return tap_done();
	}
	if (!movable_zone(&mstart, &mend)) {
		skip("thp_pin_race: no ZONE_MOVABLE (boot with movablecore=)");
		return tap_done();
	}
	ring = syscall(__NR_io_uring_setup, 4, &(struct io_uring_params){ 0 });
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	kpf_fd = open("/proc/kpageflags", O_RDONLY);
	cnt = mmap(NULL, sizeof(*cnt), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ring < 0 || pagemap_fd < 0 || kpf_fd < 0 || cnt == MAP_FAILED) {
		skip("thp_pin_race: needs io_uring, /proc/self/pagemap and "
		     "/proc/kpageflags (root): %s", strerror(errno));
		return tap_done();
	}
	close(ring);
	warn0 = read_long("/sys/kernel/warn_count");
	warn = warn0;
	t0 = now();
	while (cnt->rounds < (unsigned long)iterations && now() - t0 < seconds) {
		pid_t pid;
		int status;

		cnt->rounds++;
		pid = fork();
		if (pid == 0)
			_exit(one_round(cnt->rounds, nchildren));
		if (pid < 0 || waitpid(pid, &status, 0) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			ok(0, "thp_pin_race: round %lu failed (%s)", cnt->rounds,
			   strerror(cnt->last_errno ? cnt->last_errno : errno));
			break;
		}
		warn = read_long("/sys/kernel/warn_count");
		if (warn != warn0)
			break;
	}
	printf("# thp_pin_race: page %ld, THP %ld bytes, ZONE_MOVABLE pfns "
	       "[%#lx, %#lx), %ld children, %.1f s\n", psz, hsz, mstart, mend,
	       nchildren, now() - t0);
	ok(cnt->in_movable > 0, "THP faulted PMD-mapped in "
	   "ZONE_MOVABLE (%lu of %lu rounds)", cnt->in_movable, cnt->rounds);
	ok(cnt->reg_fail == 0, "io_uring buffer registrations succeeded (%lu "
	   "failed%s%s)", cnt->reg_fail, cnt->last_errno ? ": " : "",
	   cnt->last_errno ? strerror(cnt->last_errno) : "");
	ok(cnt->migrated > 0 && cnt->migrated == cnt->in_movable - cnt->reg_fail,
	   "the FOLL_LONGTERM pin migrated every one out of ZONE_MOVABLE (%lu, "
	   "%lu of them to a THP)", cnt->migrated, cnt->still_thp);
	ok(cnt->seen_migration > 0 && cnt->zapped_remapped > 0,
	   "the zapper saw the migration entry (%lu rounds) and zapped a "
	   "remapped page (%lu rounds)", cnt->seen_migration,
	   cnt->zapped_remapped);
	/* effective: rounds in which the zap came after the remap */
	printf("# thp_pin_race: rounds=%lu effective=%lu warn_count_delta=%ld\n",
	       cnt->rounds, cnt->zapped_remapped,
	       warn0 >= 0 && warn >= 0 ? warn - warn0 : -1);
	return tap_done();
}
