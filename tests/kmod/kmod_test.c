// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_test.c - behaviour of /dev/gupbench, kselftest-style TAP.
 *
 * INFO reports the expected state (GUPB_EXPECT_LEVELS, GUPB_EXPECT_L4,
 * GUPB_EXPECT_L5 when set); every op gets exactly the pages asked and
 * leaves FOLL_PIN accounting balanced; every walk variant finds every
 * page; bad input gets the documented errno and pins nothing.
 * The walk refuses what GUP-fast refuses (PROT_NONE ptes and huge
 * entries); a WALK is killable in both of its passes; samples come back one
 * row per selected variant; an fd passed to a process without
 * CAP_SYS_ADMIN cannot RUN; work per RUN is capped.
 * WALK_AB finds every page in every batch, its batch clock measures the
 * batch, its irqs-off round is capped; ENTRIES reports where a page's
 * entries are; a watched entry's writes are seen while another thread
 * churns it, and none without.
 * Exit 4 (skip) when the module is not loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
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
	r.flags = op == GUPB_OP_WALK || op == GUPB_OP_WALK_AB ? 0 : GUPB_F_WRITE;
	return r;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The highest set bit of the valid variants, alone. */
static unsigned int top_variant(unsigned int valid)
{
	unsigned int v = 0;

	while (valid >> (v + 1))
		v++;
	return 1U << v;
}

/*
 * mm/gup.c refuses present-but-inaccessible entries (PROT_NONE): at the
 * pte level with pte_access_permitted(), at a huge pmd with
 * pmd_access_permitted() (and pmd_protnone() under NUMA balancing). A walk
 * that only tests *_present() finds them.
 */
static void test_walk_refuses_prot_none(const struct gupb_info *info,
					size_t npages)
{
	size_t len = npages * page;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	struct gupb_run r;
	int got;

	if (p == MAP_FAILED) {
		skip("walk of PROT_NONE ptes: mmap: %s", strerror(errno));
		return;
	}
	memset(p, 1, len);
	mprotect(p, len, PROT_NONE);
	r = req(p, len, GUPB_OP_WALK, 0, 1);
	r.variant_mask = info->variants_valid;
	got = run(&r);
	ok(got == EFAULT,
	   "walk of present PROT_NONE ptes refused like GUP-fast -> EFAULT (got %s, %llu pages found)",
	   strerror(got), (unsigned long long)r.stats[0].pages);
	munmap(p, len);
}

/* A PMD-sized hugetlb page: a pmd leaf, found whole; PROT_NONE refused. */
static void test_walk_pmd_leaf(const struct gupb_info *info)
{
	size_t pmd = (size_t)page << (info->page_shift - 3);
	size_t npages = pmd / page > GUPB_MAX_WALK_PAGES ?
			GUPB_MAX_WALK_PAGES : pmd / page;
	struct gupb_run r;
	char *p;
	int got;

	p = mmap(NULL, pmd, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED) {
		skip("pmd leaf walk: no %zu KiB hugetlb page (%s)", pmd >> 10,
		     strerror(errno));
		skip("pmd leaf PROT_NONE: no hugetlb page");
		return;
	}
	memset(p, 1, pmd);
	r = req(p, npages * page, GUPB_OP_WALK, 0, 2);
	r.variant_mask = info->variants_valid;
	got = run(&r);
	ok(got == 0 && r.stats[0].pages == 2 * npages,
	   "walk of a hugetlb pmd leaf finds all %zu pages (%s, %llu)", npages,
	   strerror(got), (unsigned long long)r.stats[0].pages);
	mprotect(p, pmd, PROT_NONE);
	got = run(&r);
	ok(got == EFAULT, "walk of a PROT_NONE pmd leaf refused -> EFAULT (got %s)",
	   strerror(got));
	munmap(p, pmd);
}

/*
 * A non-present huge entry (hwpoison or migration swap entry) must stop
 * the walk, not be followed as a table. MADV_HWPOISON makes a stable one
 * where the kernel has CONFIG_MEMORY_FAILURE; in a child, since the page
 * is gone afterwards.
 */
static void test_walk_hwpoison_pmd(const struct gupb_info *info)
{
	size_t pmd = (size_t)page << (info->page_shift - 3);
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		struct gupb_run r;
		char *p = mmap(NULL, pmd, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

		if (p == MAP_FAILED)
			_exit(100);
		memset(p, 1, pmd);
		if (madvise(p, page, 100 /* MADV_HWPOISON */))
			_exit(errno == EINVAL ? 101 : 102);
		r = req(p, page, GUPB_OP_WALK, 0, 1);
		r.variant_mask = info->variants_valid;
		_exit(run(&r) == EFAULT ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		ok(0, "walk of a hwpoisoned pmd: fork/wait failed");
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) >= 100)
		skip("walk of a non-present huge entry: %s; no other stable one is reachable here (migration entries are transient, no swap device, no NUMA)",
		     WEXITSTATUS(status) == 100 ? "no hugetlb page" :
		     WEXITSTATUS(status) == 101 ?
		     "MADV_HWPOISON needs CONFIG_MEMORY_FAILURE" :
		     "MADV_HWPOISON failed");
	else
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "walk of a hwpoisoned (non-present) pmd refused -> EFAULT (status 0x%x)",
		   status);
}

/*
 * Start a WALK in a child, SIGKILL it at `at` seconds; seconds from the
 * kill to its exit, or -1 if it had ended by itself (after *ran seconds).
 */
static double kill_walk_at(struct gupb_run r, double at, int *status,
			   double *ran)
{
	double t0 = now(), killed;
	pid_t pid = fork();

	if (pid == 0)
		_exit(run(&r));
	while (now() - t0 < at) {
		if (waitpid(pid, status, WNOHANG) == pid) {
			*ran = now() - t0;
			return -1;
		}
		usleep(5000);
	}
	killed = now();
	kill(pid, SIGKILL);
	waitpid(pid, status, 0);
	return now() - killed;
}

/*
 * SIGKILL must end a long WALK promptly in either pass. The second pass
 * (the per-variant perf-counter pass) starts half-way: a kill at 25% (in
 * the first pass, which always checked) gives the exit cost of the child;
 * a kill at 75% must not take much longer. On a busy host a run can be
 * faster than the one timed: then time again from that run and retry.
 */
static void test_walk_killable(const struct gupb_info *info, char *big,
			       size_t npages)
{
	unsigned int nv = __builtin_popcount(info->variants_valid);
	unsigned int iters = GUPB_MAX_WORK / npages / nv;
	double total, first = -1, second = -1, limit, ran = 0;
	int status1 = 0, status2 = 0, got, tries;
	struct gupb_run r;

	/*
	 * The longest WALK allowed, timed whole (the second time: the first
	 * is cold). A module without the work cap takes 8x as much, so that
	 * its second pass lasts long enough to show.
	 */
	r = req(big, npages * page, GUPB_OP_WALK, 0, iters * 8);
	r.variant_mask = info->variants_valid;
	if (run(&r) == EINVAL)
		r.iterations = iters;
	iters = r.iterations;
	got = run(&r);
	total = now();
	got = got ? got : run(&r);
	total = now() - total;
	if (got) {
		ok(0, "SIGKILL in the second pass: the full run: %s",
		   strerror(got));
		return;
	}
	for (tries = 0; tries < 3 && (first < 0 || second < 0); tries++) {
		first = kill_walk_at(r, total * 0.25, &status1, &ran);
		if (first >= 0)
			second = kill_walk_at(r, total * 0.75, &status2, &ran);
		if (first < 0 || second < 0)
			total = ran;
	}
	if (first < 0 || second < 0) {
		skip("SIGKILL in the second pass: the run kept ending before the kill (%.2f s)",
		     total);
		return;
	}
	/*
	 * Unchecked, the second pass would run on for ~25% of the total;
	 * the kill in the first pass measures the rest of the way out.
	 */
	limit = first + total / 20;
	ok(WIFSIGNALED(status1) && WIFSIGNALED(status2) && second <= limit,
	   "SIGKILL in the second pass of a %.2f s WALK (%u x %zu pages) ends it in %.3f s (limit %.3f s; in the first pass %.3f s)",
	   total, iters, npages, second, limit, first);
}

/*
 * Over a cap: EINVAL, up front. Run in a child that is killed after 3 s,
 * so a module that accepts the request (and would run for minutes) shows
 * up as a failure instead of a hang.
 */
static void expect_capped(const char *what, struct gupb_run r)
{
	double t0 = now();
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(run(&r));
	while (pid > 0 && waitpid(pid, &status, WNOHANG) == 0) {
		if (now() - t0 > 3) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(10000);
	}
	ok(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == EINVAL,
	   "capped: %s -> EINVAL (%s)", what,
	   WIFEXITED(status) ? strerror(WEXITSTATUS(status)) :
	   "accepted: still running after 3 s, killed");
}

/*
 * Rows: popcount(mask) of them, the first for the lowest variant, each
 * filled with its calls; a guard row after them stays untouched. Once for
 * the highest variant alone, once for every valid variant.
 */
static void test_samples_rows(const struct gupb_info *info, char *buf,
			      size_t len)
{
	const unsigned long long guard = 0xa5a5a5a5a5a5a5a5ULL;
	unsigned int masks[2] = { top_variant(info->variants_valid),
				  info->variants_valid };
	unsigned int cap = 8, i, m, rows, rows_ok, guard_ok;
	unsigned long long *s;
	struct gupb_run r;
	int got;

	for (m = 0; m < 2; m++) {
		rows = __builtin_popcount(masks[m]);
		s = calloc((rows + 1) * cap, sizeof(*s));
		if (!s)
			return;
		for (i = rows * cap; i < (rows + 1) * cap; i++)
			s[i] = guard;
		r = req(buf, len, GUPB_OP_WALK, 0, cap);
		r.variant_mask = masks[m];
		r.samples = (unsigned long)s;
		r.samples_cap = cap;
		got = run(&r);
		rows_ok = guard_ok = 1;
		for (i = 0; i < rows * cap; i++)
			rows_ok &= s[i] != 0 && s[i] != guard;
		for (i = rows * cap; i < (rows + 1) * cap; i++)
			guard_ok &= s[i] == guard;
		ok(got == 0 && rows_ok && guard_ok && r.samples_written == cap,
		   "samples: mask 0x%x -> %u row(s) of %u filled, guard row intact (%s, rows %u guard %u written %u)",
		   masks[m], rows, cap, strerror(got), rows_ok, guard_ok,
		   r.samples_written);
		free(s);
	}
}

/* An fd handed to a process without CAP_SYS_ADMIN cannot RUN. */
static void test_fd_passed_to_nobody(char *buf, size_t len)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct gupb_run r = req(buf, len, GUPB_OP_GUP_FAST, 1, 1);

		struct gupb_entries e = { .addr = (unsigned long)buf };
		int a;

		if (setgid(65534) || setuid(65534))
			_exit(100);
		/* RUN and ENTRIES (kernel addresses) alike. */
		a = run(&r);
		_exit(a == (ioctl(fd, GUPB_IOC_ENTRIES, &e) ? errno : 0) ? a : 99);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) == 100) {
		skip("fd passed to uid 65534: could not drop privileges");
		return;
	}
	ok(WEXITSTATUS(status) == EPERM,
	   "fd opened by root, RUN and ENTRIES as uid 65534 -> EPERM (got %s)",
	   strerror(WEXITSTATUS(status)));
}

/*
 * Tagged pointers (arm64 TBI): GUP-fast untags, so must the walk. Only
 * where the tagged-address ABI lets a tagged pointer past access_ok().
 */
static void test_tagged(const struct gupb_info *info, char *buf, size_t len)
{
	unsigned long tagged = (unsigned long)buf | (0x2aUL << 56);
	struct gupb_run r;
	int got;

	if (strcmp(info->arch, "aarch64") ||
	    prctl(55 /* PR_SET_TAGGED_ADDR_CTRL */, 1, 0, 0, 0)) {
		skip("tagged addresses: no tagged-address ABI here (%s)",
		     strerror(errno));
		return;
	}
	r = req((void *)tagged, len, GUPB_OP_WALK, 0, 1);
	r.variant_mask = info->variants_valid;
	got = run(&r);
	ok(got == 0 && r.stats[0].pages == len / page,
	   "walk of a tagged address finds every page (%s)", strerror(got));
	prctl(55, 0, 0, 0, 0);
}

static void expect_errno(const char *what, struct gupb_run r, int want)
{
	int got = run(&r);

	ok(got == want, "bad input: %s -> %s (got %s)", what, strerror(want),
	   strerror(got));
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* WALK_AB of npages at buf, batch K: 0 and the median batch, or errno. */
static int walk_ab(const struct gupb_info *info, char *buf, size_t npages,
		   unsigned int K, unsigned int rounds, struct gupb_run *r,
		   unsigned long long *median)
{
	unsigned int nv = __builtin_popcount(info->variants_valid), v, i;
	unsigned long long *s = calloc((size_t)nv * rounds, sizeof(*s));
	int got;

	if (!s)
		return ENOMEM;
	*r = req(buf, npages * page, GUPB_OP_WALK_AB, 0, rounds);
	r->variant_mask = info->variants_valid;
	r->batch = K;
	r->samples = (unsigned long)s;
	r->samples_cap = rounds;
	got = run(r);
	for (v = 0, i = 0; !got && v < nv * r->samples_written; v++)
		i += s[v] != 0;
	if (!got && i != nv * r->samples_written)
		got = EIO;	/* a batch that took no time */
	if (!got && r->samples_written) {
		qsort(s, r->samples_written, sizeof(*s), cmp_ull);
		*median = s[r->samples_written / 2];
	}
	free(s);
	return got;
}

/*
 * WALK_AB: every variant walks every page in every batch of every kept
 * round; the batch clock (PMU cycles or the arch counter) measures the
 * batch: 16 walks take more than 4 times one; one round's irqs-off time
 * is capped.
 */
static void test_walk_ab(const struct gupb_info *info, char *buf)
{
	unsigned int nv = __builtin_popcount(info->variants_valid), v, good;
	size_t npages = 4;
	unsigned int K = GUPB_MAX_WALK_PAGES / (npages * nv), rounds = 32;
	unsigned long long m1 = 0, m16 = 0;
	struct gupb_run r;
	int got;

	K = K > GUPB_MAX_BATCH ? GUPB_MAX_BATCH : K;
	got = walk_ab(info, buf, npages, K, rounds, &r, &m1);
	good = !got && r.samples_written == rounds - r.rounds_dropped &&
	       r.samples_written > 0 && r.clock <= GUPB_CLOCK_PMU_CYCLES;
	for (v = 0; good && v < GUPB_NR_VARIANTS; v++)
		if (info->variants_valid & (1U << v))
			good = r.stats[v].calls == r.samples_written &&
			       r.stats[v].pages == (unsigned long long)
			       r.samples_written * K * npages &&
			       r.stats[v].clock_vs_ktime_ppm > 0;
	ok(good, "WALK_AB: %u rounds x %u variants x %u walks of %zu pages, every page (%s, clock %s, %u rounds dropped, %.3f clock units/ns)",
	   rounds, nv, K, npages, strerror(got),
	   r.clock == GUPB_CLOCK_PMU_CYCLES ? "PMU cycles" : "arch counter",
	   r.rounds_dropped, r.stats[0].clock_vs_ktime_ppm * 1e-6);
	got = walk_ab(info, buf, 1, 1, rounds, &r, &m1);
	if (!got)
		got = walk_ab(info, buf, 1, 16, rounds, &r, &m16);
	ok(!got && m16 > 4 * m1,
	   "WALK_AB: the batch clock measures the batch: 16 walks %llu > 4 x 1 walk %llu (%s)",
	   m16, m1, strerror(got));
	r = req(buf, npages * page, GUPB_OP_WALK_AB, 0, 1);
	r.variant_mask = info->variants_valid;
	expect_errno("WALK_AB batch 0", r, EINVAL);
	r.batch = GUPB_MAX_BATCH + 1;
	expect_errno("WALK_AB batch above GUPB_MAX_BATCH", r, EINVAL);
	r = req(buf, 64 * page, GUPB_OP_WALK_AB, 0, 1);
	r.variant_mask = info->variants_valid;
	r.batch = GUPB_MAX_WALK_PAGES / 64 / nv + 1;
	expect_errno("WALK_AB round (batch x pages x variants) above GUPB_MAX_WALK_PAGES irqs off",
		     r, EINVAL);
	r = req(buf, npages * page, GUPB_OP_WALK, 0, 1);
	r.variant_mask = info->variants_valid;
	r.batch = 1;
	expect_errno("batch for WALK", r, EINVAL);
}

static int entries(unsigned long a, struct gupb_entries *e)
{
	memset(e, 0, sizeof(*e));
	e->addr = a;
	return ioctl(fd, GUPB_IOC_ENTRIES, e) ? errno : 0;
}

/*
 * ENTRIES: a mapped page has its top-level entries and a pmd entry; pages
 * under one PMD entry share it, the next PMD range's entry is the next one
 * in the table (8 bytes on) where both are under one PUD entry.
 */
static void test_entries(const struct gupb_info *info, char *buf, size_t len)
{
	size_t pmd = (size_t)page << (info->page_shift - 3);
	size_t pud = pmd << (info->page_shift - 3);
	unsigned long a = (unsigned long)buf, b = a + len - page;
	unsigned long n = (a / pmd + 1) * pmd;
	struct gupb_entries ea, eb, en;
	int got;

	got = entries(a, &ea);
	if (!got)
		got = entries(b, &eb);
	if (!got)
		got = entries(n, &en);
	ok(!got && ea.top_read && ea.top_own && ea.pmd &&
	   ea.levels_runtime == info->levels_runtime &&
	   (a / pmd == b / pmd ? eb.pmd == ea.pmd : eb.pmd != ea.pmd) &&
	   eb.top_read == ea.top_read &&
	   (a / pud != n / pud || !en.pmd || en.pmd == ea.pmd + 8),
	   "ENTRIES: a mapped page's entries (%s; pmd %s, next range's +8 where present)",
	   strerror(got), a / pmd == b / pmd ? "shared" : "distinct");
	memset(&ea, 0, sizeof(ea));
	ea.addr = a;
	ea.reserved[1] = 1;
	got = ioctl(fd, GUPB_IOC_ENTRIES, &ea) ? errno : 0;
	ok(got == EINVAL, "ENTRIES: reserved field set -> EINVAL (got %s)",
	   strerror(got));
	got = entries(~0UL << 48, &ea);
	ok(got == EFAULT, "ENTRIES: kernel address -> EFAULT (got %s)",
	   strerror(got));
}

struct churn {
	char *addr;
	atomic_int stop;
	atomic_ulong rounds;
};

static void *churn_fn(void *arg)
{
	struct churn *c = arg;

	while (!atomic_load(&c->stop)) {
		char *p = mmap(c->addr, page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p != c->addr)
			break;
		p[0] = 1;
		munmap(p, page);
		atomic_fetch_add(&c->rounds, 1);
	}
	return NULL;
}

/*
 * A watched PMD entry in a range of its own (nothing else mapped in it,
 * so munmap frees its table): while a thread maps, touches and unmaps a
 * page there, the module sees the entry change; with the page left
 * mapped, it never does. The reload check runs where the folded helper
 * is used.
 */
static void test_watch(const struct gupb_info *info, char *buf, size_t len)
{
	size_t pmd = (size_t)page << (info->page_shift - 3);
	struct churn c = { 0 };
	struct gupb_run r;
	pthread_t t;
	char *resv, *m;
	int got, started = 0, tries;

	/* A free PMD range: the middle of a reservation, unmapped again. */
	if (pthread_create(&t, NULL, churn_fn, &c)) {
		ok(0, "watch: pthread_create");
		return;
	}
	atomic_store(&c.stop, 1);	/* the thread exists: stack mapped */
	pthread_join(t, NULL);
	resv = mmap(NULL, 3 * pmd, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		    MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED) {
		ok(0, "watch: reserve 3 PMDs: %s", strerror(errno));
		return;
	}
	m = (char *)(((unsigned long)resv + pmd - 1) / pmd * pmd);
	munmap(resv, 3 * pmd);
	c.addr = m + pmd / 2;
	atomic_store(&c.stop, 0);
	if (!pthread_create(&t, NULL, churn_fn, &c))
		started = 1;
	/* Going before the run: a thread can take a while to first run. */
	while (started && !atomic_load(&c.rounds) && !atomic_load(&c.stop))
		usleep(1000);
	/*
	 * A loaded host can keep the churning vCPU off its CPU for a whole
	 * run: up to 5 runs, each must see its reads through.
	 */
	for (tries = 0; tries < 5; tries++) {
		r = req(buf, len, GUPB_OP_WALK, 0, 10000);
		r.variant_mask = 1;
		r.watch_level = GUPB_WATCH_PMD;
		r.watch_addr = (unsigned long)c.addr;
		got = run(&r);
		if (got || r.watch_changes)
			break;
	}
	atomic_store(&c.stop, 1);
	if (started)
		pthread_join(t, NULL);
	ok(!got && started && atomic_load(&c.rounds) > 0 &&
	   r.watch_reads == 10000 && r.watch_changes > 0 && r.entry_walked &&
	   r.entry_watched,
	   "watch: a churned PMD entry seen changing (%s; %llu of %llu reads, %lu churn rounds, run %d)",
	   strerror(got), (unsigned long long)r.watch_changes,
	   (unsigned long long)r.watch_reads, atomic_load(&c.rounds),
	   tries + 1);
	if (info->folded_helper)
		ok(!got && r.reload_checks >= 10000,
		   "watch: the reload check ran (%llu re-reads, %llu differed)",
		   (unsigned long long)r.reload_checks,
		   (unsigned long long)r.reload_mismatch);
	/* Control: the page stays mapped, the entry never changes. */
	m = mmap(c.addr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		 MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (m == c.addr) {
		m[0] = 1;
		got = run(&r);
		ok(!got && r.watch_reads == 10000 && r.watch_changes == 0,
		   "watch: a quiet entry never seen changing (%s, %llu)",
		   strerror(got), (unsigned long long)r.watch_changes);
		munmap(m, page);
	} else {
		ok(0, "watch: map the quiet page: %s", strerror(errno));
	}
	r = req(buf, len, GUPB_OP_WALK, 0, 1);
	r.variant_mask = 1;
	r.watch_level = 3;
	r.watch_addr = (unsigned long)buf;
	expect_errno("watch level unknown", r, EINVAL);
	r.watch_level = GUPB_WATCH_PMD;
	r.watch_addr = 0;
	expect_errno("watch level without an address", r, EINVAL);
	r.watch_addr = ~0UL << 48 & ~(page - 1UL);
	expect_errno("watch of a kernel address", r, EFAULT);
}

int main(void)
{
	static const char *const ops[] = { "gup_fast", "pin_fast",
		"pin_longterm", "gup_fast_only" };
	struct gupb_info info;
	struct gupb_run r;
	size_t npages = 64, len;
	long long acq0, rel0, acq, rel;
	char *buf, *none, *big;
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
	ok(info.clock_overhead_ns < 100000,
	   "INFO: an empty timed call costs %llu ns (< 100 us)",
	   (unsigned long long)info.clock_overhead_ns);
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
			expect_errno(!info.folded_helper ?
				     "one walk here: no folded p4d helper (5 levels, x86)" :
				     v == GUPB_VARIANT_STACK ?
				     "stack not offered: the same code as live (pgtable_l4_enabled() constant false)" :
				     "generic refused: &pgd into a level folded at run time",
				     r, EOPNOTSUPP);
			continue;
		}
		r = req(buf, len, GUPB_OP_WALK, 0, 16);
		r.variant_mask = info.variants_valid;
		ok(run(&r) == 0 && r.stats[v].pages == 16 * npages &&
		   r.stats[v].calls == 16,
		   "walk variant %d finds all %zu pages (interleaved, mask 0x%x)",
		   v, npages, info.variants_valid);
	}

	test_walk_refuses_prot_none(&info, npages);
	test_walk_pmd_leaf(&info);
	test_samples_rows(&info, buf, len);
	test_fd_passed_to_nobody(buf, len);
	test_tagged(&info, buf, len);
	test_walk_ab(&info, buf);
	test_entries(&info, buf, len);
	test_watch(&info, buf, len);
	big = mmap(NULL, GUPB_MAX_WALK_PAGES * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (big != MAP_FAILED) {
		memset(big, 1, GUPB_MAX_WALK_PAGES * page);
		test_walk_killable(&info, big, GUPB_MAX_WALK_PAGES);
		r = req(big, (GUPB_MAX_WALK_PAGES + 1) * page, GUPB_OP_WALK, 0, 1);
		r.variant_mask = 1;
		expect_capped("WALK longer than GUPB_MAX_WALK_PAGES", r);
		r = req(big, GUPB_MAX_WALK_PAGES * page, GUPB_OP_WALK, 0,
			GUPB_MAX_WORK / GUPB_MAX_WALK_PAGES + 1);
		r.variant_mask = 1;
		expect_capped("WALK iterations x pages above GUPB_MAX_WORK", r);
		r = req(big, GUPB_MAX_WALK_PAGES * page, GUPB_OP_GUP_FAST,
			GUPB_MAX_WALK_PAGES, GUPB_MAX_ITERATIONS);
		expect_capped("GUP iterations x pages above GUPB_MAX_WORK", r);
		munmap(big, GUPB_MAX_WALK_PAGES * page);
	} else {
		ok(0, "mmap of %d pages: %s", GUPB_MAX_WALK_PAGES,
		   strerror(errno));
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
	/* Last: it may take a hugetlb page away for good. */
	test_walk_hwpoison_pmd(&info);
	return tap_done();
}
