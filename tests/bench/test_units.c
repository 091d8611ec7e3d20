// SPDX-License-Identifier: GPL-2.0
/*
 * test_units.c - the unit tests of bench/: the pure parts (kernel config,
 * profiles, names, the case driver's sweep and verdicts), and what the
 * workloads stand on (buffers really have the backing and layout they
 * claim, the O_DIRECT target really pins, bad targets are refused). One
 * behaviour per test function; TAP (tests/tap.h); a case that cannot run
 * here (not root, no THP, ...) is "ok N # SKIP reason".
 *
 * Usage: test_units [DIR...]: a directory holding the kernel-config
 * fixtures (default: tests/fixtures/config next to this file) and/or a
 * directory on a disk filesystem for file-backed buffers and targets
 * (default: $TMPDIR, else /var/tmp).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/buffers.h"
#include "core/case.h"
#include "core/ctx.h"
#include "core/meta.h"
#include "core/profile.h"
#include "sys/target.h"
#include "sys/vmstat.h"
#include "../tap.h"

static const char *fixtures;	/* kernel-config fixtures */
static const char *tmpdir;	/* a disk filesystem */

/*
 * A pin proof's outcome: other processes pinning meanwhile (a shared
 * machine) make it inconclusive (-3), a skip rather than a verdict.
 */
static void proof(enum gupb_proof ret, enum gupb_proof want, double got,
		  const char *why, const char *what)
{
	if (ret == GUPB_INCONCLUSIVE && want != GUPB_INCONCLUSIVE)
		skip("%s: busy machine (%s)", what, why);
	else
		ok(ret == want, "%s (%.2f pins per call; %s)", what, got,
		   ret == GUPB_PROVEN ? "proven" : why);
}

/* 1 if other processes pin pages right now (the counters are global). */
static int busy(void)
{
	struct gupb_pins a, b;

	if (gupb_pins_read(&a))
		return 0;
	usleep(50000);
	return gupb_pins_read(&b) == 0 && b.acquired > a.acquired;
}

/* The smaps field (in kB) of the VMA holding addr, or -1. */
static long smaps_kb(const void *addr, const char *field)
{
	char line[256], key[64];
	unsigned long lo, hi, a = (unsigned long)addr;
	long kb = -1, v;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	snprintf(key, sizeof(key), "%s: %%ld kB", field);
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && sscanf(line, key, &v) == 1) {
			kb = v;
			break;
		}
	}
	if (f)
		fclose(f);
	return kb;
}

/* The permission string ("rw-s") of the VMA holding addr. */
static int vma_perms(const void *addr, char perms[5])
{
	char line[512];
	unsigned long lo, hi, a = (unsigned long)addr;
	int found = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	while (!found && f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    a >= lo && a < hi)
			found = 1;
	if (f)
		fclose(f);
	return found ? 0 : -1;
}

/* Every page of [addr, addr + len) is resident (prefaulted). */
static int all_resident(const char *addr, size_t len)
{
	size_t page = gupb_page_size(), n = len / page, i;
	unsigned char *vec = calloc(n, 1);
	int ret = 1;

	if (!vec || mincore((void *)addr, len, vec))
		ret = 0;
	for (i = 0; ret && i < n; i++)
		if (!(vec[i] & 1))
			ret = 0;
	free(vec);
	return ret;
}

static int write_int(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%ld", v) < 0;
	return fclose(f) || ret ? -1 : 0;
}

static long read_int(const char *path)
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

static void check_buf(const char *backing, const char *layout, size_t len)
{
	size_t pmd = gupb_pmd_size(), pud = gupb_pud_size();
	struct gupb_buf b;
	char why[256], perms[5];
	size_t a, boundary;
	int shared, r;

	r = gupb_buf_alloc(&b, backing, layout, len, tmpdir, why, sizeof(why));
	if (r) {
		/* Only these may be unavailable, and only with a reason. */
		if ((!strcmp(backing, "thp") && strstr(why, "THP")) ||
		    (!strcmp(backing, "hugetlb") && strstr(why, "hugetlb")))
			skip("%s/%s: %s", backing, layout, why);
		else
			ok(0, "%s/%s/%zu: %s", backing, layout, len, why);
		return;
	}
	a = (size_t)b.addr;
	boundary = !strcmp(layout, "cross_pud") ? pud : pmd;
	if (!strcmp(layout, "inside"))
		ok(a % pmd == 0 && (a + len - 1) / pmd == a / pmd + (len - 1) / pmd,
		   "%s/inside/%zu: starts on a PMD boundary", backing, len);
	else
		ok(a / boundary != (a + len - 1) / boundary,
		   "%s/%s/%zu: straddles a %zu MiB boundary at %#zx", backing,
		   layout, len, boundary >> 20,
		   (a + len - 1) / boundary * boundary);
	ok(all_resident(b.addr, len), "%s/%s: every page prefaulted", backing,
	   layout);
	shared = !strcmp(backing, "shmem") || !strcmp(backing, "file");
	ok(vma_perms(b.addr, perms) == 0 && perms[3] == (shared ? 's' : 'p'),
	   "%s/%s: mapping is %s (%s)", backing, layout,
	   shared ? "MAP_SHARED" : "MAP_PRIVATE", perms);
	if (!strcmp(backing, "anon"))
		ok(smaps_kb(b.addr, "AnonHugePages") == 0,
		   "anon/%s: 4K pages, no THP", layout);
	/* Both sides of a boundary: two huge pages, one per PMD entry. */
	if (!strcmp(backing, "thp"))
		ok(smaps_kb(b.addr, "AnonHugePages") >=
		   (long)((((a + len - 1) / pmd - a / pmd + 1) * pmd) >> 10),
		   "thp/%s: backed by THP (%ld kB)", layout,
		   smaps_kb(b.addr, "AnonHugePages"));
	if (!strcmp(backing, "hugetlb"))
		ok(smaps_kb(b.addr, "KernelPageSize") > (long)(gupb_page_size() >> 10),
		   "hugetlb/%s: kernel page size %ld kB", layout,
		   smaps_kb(b.addr, "KernelPageSize"));
	gupb_buf_free(&b);
	ok(vma_perms((char *)a, perms) != 0 ||
	   perms[0] == '-', "%s/%s: freed (nothing left mapped)", backing,
	   layout);
}

/*
 * hugetlb: with no free huge pages the allocation fails with a reason and
 * a hint; as root, reserve a few for the test and give them back.
 */
static void test_hugetlb(void)
{
	const char *knob = "/proc/sys/vm/nr_hugepages";
	size_t pmd = gupb_pmd_size();
	long before = read_int(knob);
	struct gupb_buf b;
	char why[256];

	if (before == 0) {
		ok(gupb_buf_alloc(&b, "hugetlb", "inside", pmd, tmpdir, why,
				  sizeof(why)) != 0 &&
		   strstr(why, "nr_hugepages"),
		   "hugetlb without reserved pages: refused with a hint (%s)",
		   why);
	}
	if (geteuid() != 0 || before < 0 || write_int(knob, before + 4) ||
	    read_int(knob) < before + 4) {
		skip("hugetlb: cannot reserve huge pages (not root or no memory)");
		if (before >= 0 && geteuid() == 0)
			write_int(knob, before);
		return;
	}
	check_buf("hugetlb", "inside", pmd);
	check_buf("hugetlb", "cross_pmd", 16 * gupb_page_size());
	check_buf("hugetlb", "cross_pmd", 2 * pmd);
	write_int(knob, before);
}

static int count_zram(void)
{
	char path[64];
	int i, n = 0;

	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/sys/block/zram%d", i);
		n += access(path, F_OK) == 0;
	}
	return n;
}

struct rd {
	int fd;
	char *buf;
	size_t len;
};

static int one_read(void *arg)
{
	struct rd *r = arg;

	return pread(r->fd, r->buf, r->len, 0) == (ssize_t)r->len ? 0 : -1;
}

/* A private zram: made, pins once per page per O_DIRECT read, removed. */
static void test_zram(void)
{
	struct gupb_target t;
	struct gupb_buf b;
	struct rd r;
	char why[256];
	double pins;
	enum gupb_proof ret;
	int before = count_zram(), id;

	if (geteuid() != 0 || access("/sys/class/zram-control/hot_add", F_OK)) {
		skip("zram target: needs root and zram-control");
		return;
	}
	if (gupb_target_open("zram", &t) || t.fd < 0) {
		ok(0, "zram target: %s", t.why);
		return;
	}
	id = t.zram_id;
	ok(id >= 0 && count_zram() >= before + 1 &&
	   strstr(t.desc, "private"), "zram target: a new private device (%s)",
	   t.desc);
	if (gupb_buf_alloc(&b, "anon", "inside", 4 * gupb_page_size(), tmpdir,
			   why, sizeof(why)) == 0) {
		r = (struct rd){ t.fd, b.addr, 4 * gupb_page_size() };
		ret = gupb_pins_prove(one_read, &r, 64, 4, &pins, why,
				      sizeof(why));
		proof(ret, GUPB_PROVEN, pins, why, "zram O_DIRECT read of 4 pages pins 4");
		ret = gupb_pins_prove(one_read, &r, 64, 8, &pins, why,
				      sizeof(why));
		proof(ret, GUPB_REFUTED, pins, why, "prove: a claim of 8 pins for 4 fails");
		r.fd = t.fd_buffered;
		ret = gupb_pins_prove(one_read, &r, 64, 0, &pins, why,
				      sizeof(why));
		proof(ret, GUPB_PROVEN, pins, why, "zram buffered read (the control) pins 0");
		gupb_buf_free(&b);
	}
	gupb_target_close(&t);
	snprintf(why, sizeof(why), "/sys/block/zram%d", id);
	ok(access(why, F_OK) != 0, "zram target: zram%d removed on close", id);
}

static void test_target_missing(void)
{
	struct gupb_target t;

	ok(gupb_target_open("/nonexistent/gupbench", &t) == -EINVAL,
	   "target: missing path is a usage error");
}

static void test_target_dir(void)
{
	struct gupb_target t;

	ok(gupb_target_open(tmpdir, &t) == -EINVAL,
	   "target: a directory is a usage error");
}

static void test_target_chardev(void)
{
	struct gupb_target t;

	ok(gupb_target_open("/dev/null", &t) == -EINVAL,
	   "target: character device -> EINVAL");
}

static void test_target_sparse(void)
{
	struct gupb_target t;
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/gupbench-sparse-%d", tmpdir, getpid());
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 8 << 20)) {
		skip("cannot make a sparse file in %s", tmpdir);
	} else {
		ok(gupb_target_open(path, &t) == -EINVAL,
		   "target: sparse file refused (reads would pin nothing)");
	}
	if (fd >= 0)
		close(fd);
	unlink(path);
}

/* tmpfs refuses O_DIRECT, or copies: unavailable with a reason, not fatal. */
static void test_target_tmpfs(void)
{
	struct gupb_target t;
	char path[512], *blk;
	int fd, ret;

	snprintf(path, sizeof(path), "/dev/shm/gupbench-test-%d", getpid());
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd >= 0) {
		blk = calloc(1, 4 << 20);
		ret = blk && write(fd, blk, 4 << 20) == 4 << 20;
		free(blk);
		close(fd);
		/* Refused at open (< 6.6) or accepted but copying (>= 6.6). */
		if (ret && gupb_target_open(path, &t) == 0 && t.fd >= 0 &&
		    busy())
			skip("target: tmpfs file: probe inconclusive, others pin meanwhile");
		else if (ret)
			ok(t.fd < 0 && (strstr(t.why, "refused") ||
					strstr(t.why, "pin nothing")),
			   "target: tmpfs file unavailable (%s)", t.why);
		else
			ok(0, "target: tmpfs file: setup or open failed");
		gupb_target_close(&t);
		unlink(path);
	} else {
		skip("no /dev/shm");
	}
}

/* Fallocated: unwritten extents would be zero-filled, never pinned. */
static void test_target_fallocated(void)
{
	struct gupb_target t;
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/gupbench-falloc-%d", tmpdir, getpid());
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd >= 0 && posix_fallocate(fd, 0, 4 << 20) == 0) {
		close(fd);
		ok(gupb_target_open(path, &t) == -EINVAL,
		   "target: fallocated (unwritten) file refused");
	} else {
		if (fd >= 0)
			close(fd);
		skip("fallocate not supported in %s", tmpdir);
	}
	unlink(path);
}

/* Fully written: accepted, read-only. */
static void test_target_written(void)
{
	struct gupb_target t;
	char path[512], *blk;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/gupbench-full-%d", tmpdir, getpid());
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	blk = malloc(4 << 20);
	if (fd >= 0 && blk) {
		memset(blk, 0x5a, 4 << 20);
		ret = write(fd, blk, 4 << 20) == 4 << 20 && fsync(fd) == 0;
		close(fd);
		ret = ret ? gupb_target_open(path, &t) : -1;
		if (ret == 0 && t.fd < 0) {
			skip("O_DIRECT refused in %s: %s", tmpdir, t.why);
		} else {
			ok(ret == 0 && !t.writable && t.size == 4 << 20,
			   "target: fully written file accepted read-only (%s)",
			   t.desc);
		}
		gupb_target_close(&t);
	}
	free(blk);
	unlink(path);
}

static int no_pin(void *arg)
{
	(void)arg;
	return 0;
}

static int fails(void *arg)
{
	(void)arg;
	errno = EIO;
	return -1;
}


/* --- kernel config, sysfs, release names --- */

static char *slurp(const char *name)
{
	static char buf[65536];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void test_kconfig(void)
{
	static const struct {
		const char *file, *levels, *va, *shift, *lpa2, *x86_5l;
	} c[] = {
		{ "arm64-4k-39.config", "3", "39", "12", "n", "unknown" },
		{ "arm64-4k-48.config", "4", "48", "12", "n", "unknown" },
		{ "arm64-16k-52-lpa2.config", "4", "52", "14", "y", "unknown" },
		{ "x86_64.config", "5", "unknown", "12", "unknown", "y" },
		{ "truncated.config", "unknown", "unknown", "unknown",
		  "unknown", "unknown" },
	};
	struct gupb_kconfig kc;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *t = slurp(c[i].file);

		if (!t) {
			ok(0, "kconfig: fixture %s missing", c[i].file);
			continue;
		}
		gupb_parse_kconfig(t, &kc);
		ok(!strcmp(kc.pgtable_levels, c[i].levels) &&
		   !strcmp(kc.va_bits, c[i].va) &&
		   !strcmp(kc.page_shift, c[i].shift) &&
		   !strcmp(kc.lpa2, c[i].lpa2) &&
		   !strcmp(kc.x86_5level, c[i].x86_5l),
		   "kconfig %s: levels=%s va=%s shift=%s lpa2=%s 5level=%s",
		   c[i].file, kc.pgtable_levels, kc.va_bits, kc.page_shift,
		   kc.lpa2, kc.x86_5level);
	}
}

static void test_kconfig_none(void)
{
	struct gupb_kconfig kc;

	gupb_parse_kconfig(NULL, &kc);
	ok(!strcmp(kc.pgtable_levels, "unknown"), "kconfig: no config -> unknown");
}

static void test_sysfs_choice(void)
{
	char v[32], w[32];

	gupb_sysfs_choice("always [madvise] never\n", v, sizeof(v));
	gupb_sysfs_choice("always madvise never\n", w, sizeof(w));
	ok(!strcmp(v, "madvise") && !strcmp(w, "unknown"),
	   "sysfs choice: the [selected] word, unknown without brackets");
}

static void test_release_build(void)
{
	char build[128], patch[32], b2[128], p2[32];

	ok(gupb_release_build("6.12.117-gupb-16k-52-lpa2-0001", build,
			      sizeof(build), patch, sizeof(patch)) &&
	   !strcmp(build, "16k-52-lpa2-0001") && !strcmp(patch, "0001") &&
	   gupb_release_build("6.12.117-gupb-4k-48-stock", b2, sizeof(b2),
			      p2, sizeof(p2)) && !strcmp(p2, "none") &&
	   !gupb_release_build("6.12.117+deb12-arm64", b2, sizeof(b2), p2,
			       sizeof(p2)),
	   "release names: -gupb-<state>-<patch|stock>, distro releases none");
	ok(gupb_release_build("7.3.0-rc7-gupb-16k-52-lpa2-g7fb4113c8aee",
			      build, sizeof(build), patch, sizeof(patch)) &&
	   !strcmp(build, "16k-52-lpa2-g7fb4113c8aee") &&
	   !strcmp(patch, "B:7fb4113c8aee") &&
	   gupb_release_build("7.3.0-gupb-4k-48-gabc", b2, sizeof(b2), p2,
			      sizeof(p2)) && !strcmp(p2, "gabc"),
	   "a git tree's commit B (make kernel-deb KERNEL=tree PATCH=B): "
	   "-g<12 hex digits> reads as B:<digits>");
}

/* --- profiles --- */

static int parse_profile(const char *text, struct gupb_profile *p,
			 char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret = gupb_profile_parse(f, "t", p, err, 256);

	fclose(f);
	return ret;
}

#define CORE "repetitions = 5\nmin_time = 0.1\nsizes = 4k, 2M\n" \
	     "backings = anon, thp\nlayouts = inside, cross_pmd\n"

static void test_profile_good(void)
{
	struct gupb_profile p;
	char err[256];

	ok(!parse_profile(CORE, &p, err) && p.repetitions == 5 &&
	   p.nr_sizes == 2 && p.sizes[0] == 4096 && p.sizes[1] == 2 << 20 &&
	   gupb_list_has(p.backings, "thp") &&
	   !gupb_list_has(p.backings, "hugetlb"),
	   "profile: a good profile parses");
}

static void test_profile_refusals(void)
{
	struct gupb_profile p;
	char e1[256], e2[256], e4[256];

	ok(parse_profile("repetitions = 0\n", &p, e1) && strstr(e1, "repetitions") &&
	   parse_profile("bogus = 1\n", &p, e2) && strstr(e2, "unknown key 'bogus'") &&
	   parse_profile("repetitions = 5\nmin_time = 0.1\nsizes = 4k\n"
			 "backings = anon, floppy\nlayouts = inside\n", &p, e4) &&
	   parse_profile("repetitions = 5\n", &p, e4) && strstr(e4, "incomplete"),
	   "profile: bad values, unknown unscoped keys, incomplete refused (%s; %s)",
	   e1, e2);
}

static void test_list_has(void)
{
	ok(gupb_list_has("anon,thp", "anon") && !gupb_list_has("anonx", "anon"),
	   "list_has matches whole words");
}

/* --- the case driver: a workload of the test's own --- */

static const char *const colours[] = { "red", "blue", NULL };

static const struct gupb_family t_families[] = {
	GUPB_FAMILY("t_swept", 0, GUPB_CTR_PINS_PER_ITER,
		    GUPB_SWEEP(GUPB_KEY_BACKING), GUPB_SWEEP(GUPB_KEY_LAYOUT),
		    GUPB_SWEEP(GUPB_KEY_BYTES)),
	GUPB_FAMILY("t_ctl", 1, GUPB_CTR_PINS_PER_ITER,
		    GUPB_FIXED(GUPB_KEY_BACKING, "anon"),
		    GUPB_SWEEP(GUPB_KEY_BYTES), GUPB_SWEEP(GUPB_KEY_QD)),
	GUPB_FAMILY("t_colour", 2, NULL, GUPB_OVER("colour", colours)),
	GUPB_FAMILY_END
};

static const struct gupb_family t_pages[] = {
	GUPB_FAMILY("t_pages", 0, NULL, GUPB_FIXED(GUPB_KEY_BACKING, "anon"),
		    GUPB_SWEEP(GUPB_KEY_PAGES)),
	GUPB_FAMILY_END
};

static const struct gupb_opt t_opts[] = {
	{ .name = "depths", .def = "1, 8", .min = 1, .max = 64,
	  .axis = GUPB_KEY_QD, .help = "test depths" },
	{ .name = NULL }
};

static bool t_accept(const struct gupb_case *c)
{
	return strcmp(c->backing, "thp") || c->bytes > 4096;
}

static double t_claim(const struct gupb_case *c)
{
	return (double)(c->bytes / 4096) * (double)c->qd;
}

static int t_op(struct gupb_case *c)
{
	(void)c;
	return 0;
}

static const struct gupb_wl t_wl = {
	.name = "t", .summary = "the unit test's own", .order = 1,
	.families = t_families, .opts = t_opts, .accept = t_accept,
	.claim = t_claim, .op = t_op,
};
GUPB_WORKLOAD(t_wl);

struct names {
	char v[32][192];
	double claim[32];
	int n;
};

static int collect(struct gupb_case *c, void *arg)
{
	struct names *nm = arg;

	if (nm->n >= 32)
		return -ENOSPC;
	nm->claim[nm->n] = c->wl->claim ? c->wl->claim(c) : 0;
	snprintf(nm->v[nm->n++], sizeof(nm->v[0]), "%s", c->name);
	return 0;
}

static int expand_with(const char *profile, struct names *nm)
{
	struct gupb_ctx ctx;
	char err[256];

	gupb_ctx_init(&ctx);
	memset(nm, 0, sizeof(*nm));
	if (parse_profile(profile, &ctx.cfg.profile, err))
		return -1;
	return gupb_expand(&t_wl, &ctx, collect, nm);
}

static bool has(const struct names *nm, const char *name)
{
	int i;

	for (i = 0; i < nm->n; i++)
		if (!strcmp(nm->v[i], name))
			return true;
	return false;
}

static void test_sweep_names(void)
{
	struct names nm;
	int ret = expand_with(CORE, &nm);

	ok(!ret && nm.n == 11 &&
	   !strcmp(nm.v[0], "t_swept/backing:anon/layout:inside/bytes:4096") &&
	   has(&nm, "t_swept/backing:thp/layout:cross_pmd/bytes:2097152") &&
	   has(&nm, "t_ctl/backing:anon/bytes:4096/qd:8") &&
	   has(&nm, "t_colour/colour:blue"),
	   "sweep: names from family + key:value in declared order (%d, first %s)",
	   nm.n, nm.v[0]);
}

static void test_sweep_rules(void)
{
	struct names nm;

	expand_with(CORE, &nm);
	/* One page straddles nothing; the workload's accept() filters. */
	ok(!has(&nm, "t_swept/backing:anon/layout:cross_pmd/bytes:4096") &&
	   !has(&nm, "t_swept/backing:thp/layout:inside/bytes:4096") &&
	   has(&nm, "t_swept/backing:anon/layout:cross_pmd/bytes:2097152"),
	   "sweep: no crossing layout for one page; accept() filters");
}

static void test_sweep_size_major(void)
{
	struct names nm;

	expand_with(CORE, &nm);
	/* All 4k benchmarks of every family before the first 2M one. */
	ok(nm.n == 11 && !strcmp(nm.v[2], "t_ctl/backing:anon/bytes:4096/qd:8") &&
	   strstr(nm.v[3], "t_swept/") && strstr(nm.v[3], "bytes:2097152") &&
	   !strcmp(nm.v[9], "t_colour/colour:red"),
	   "sweep: size-major order, unsized families last (%s, %s)", nm.v[2],
	   nm.v[3]);
}

static void test_sweep_option_axis(void)
{
	struct names nm;

	expand_with(CORE "t.depths = 2, 4, 6\n", &nm);
	ok(has(&nm, "t_ctl/backing:anon/bytes:4096/qd:6") &&
	   !has(&nm, "t_ctl/backing:anon/bytes:4096/qd:8") &&
	   !strcmp(nm.v[1], "t_ctl/backing:anon/bytes:4096/qd:2") &&
	   nm.claim[1] == 2,
	   "sweep: a scoped list option sweeps its key, overriding the default");
}

static void test_sweep_unaligned_size(void)
{
	struct names nm;

	expand_with("repetitions = 1\nmin_time = 0.1\nsizes = 1000\n"
		    "backings = anon\nlayouts = inside\n", &nm);
	ok(nm.n == 2 && has(&nm, "t_colour/colour:red"),
	   "sweep: a size that is not whole pages registers nothing (%d)", nm.n);
}

static int check_bytes(struct gupb_case *c, void *arg)
{
	size_t *bytes = arg;

	return c->bytes == *bytes ? 0 : -EINVAL;
}

static void test_sweep_pages(void)
{
	struct gupb_wl wl = t_wl;
	struct gupb_ctx ctx;
	struct names nm;
	size_t two_m = 2 << 20;
	char err[256];
	int ret;

	wl.families = t_pages;
	wl.accept = NULL;
	gupb_ctx_init(&ctx);
	memset(&nm, 0, sizeof(nm));
	ret = parse_profile("repetitions = 1\nmin_time = 0.1\nsizes = 2M\n"
			    "backings = anon\nlayouts = inside\n",
			    &ctx.cfg.profile, err);
	ret = ret ? ret : gupb_expand(&wl, &ctx, collect, &nm);
	ok(!ret && nm.n == 1 && !strncmp(nm.v[0], "t_pages/backing:anon/pages:", 27) &&
	   strtoul(nm.v[0] + 27, NULL, 10) * gupb_page_size() == two_m &&
	   gupb_expand(&wl, &ctx, check_bytes, &two_m) == 0,
	   "sweep: a pages key is the profile's sizes in pages, bytes follow (%s)",
	   nm.v[0]);
}

/* --- a real workload's sweep: bench/wl_guptest.c --- */

extern const struct gupb_wl gupb_wl_guptest;

extern const struct gupb_wl gupb_wl_kmod, gupb_wl_kwalk_ab;

/*
 * kmod_*, kwalk (workload kmod) and kwalk_ab (its own workload) as
 * register_fn named them (a set: the driver orders them family-major
 * within a size), the pin ops claiming their pages per call; without the
 * module, every walk variant.
 */
static void test_kmod_names(void)
{
	static const char *const ops[] = { "kmod_gup_fast", "kmod_pin_fast",
		"kmod_pin_longterm", "kmod_gup_fast_only" };
	static const char *const var[] = { "live", "stack", "generic" };
	static const char *const con[] = { "", "/contention:pmd",
					    "/contention:pgd" };
	size_t pages = 65536 / gupb_page_size();
	struct gupb_ctx ctx;
	struct names nm;
	char err[256], w[192];
	int ret, i, j, found = 0, want = 0, claims = 0;

	gupb_ctx_init(&ctx);
	memset(&nm, 0, sizeof(nm));
	ret = parse_profile("repetitions = 1\nmin_time = 0.1\nsizes = 64k\n"
			    "backings = anon\nlayouts = inside, cross_pmd\n",
			    &ctx.cfg.profile, err);
	ret = ret ? ret : gupb_expand(&gupb_wl_kmod, &ctx, collect, &nm);
	ret = ret ? ret : gupb_expand(&gupb_wl_kwalk_ab, &ctx, collect, &nm);
	for (j = 0; j < 3; j++) {
		for (i = 0; i < 4; i++) {
			if (j && i != 1)
				continue;
			snprintf(w, sizeof(w), "%s/backing:anon/pages:%zu%s",
				 ops[i], pages, con[j]);
			want++, found += has(&nm, w);
		}
		for (i = 0; i < 3; i++) {
			snprintf(w, sizeof(w), "kwalk/variant:%s/backing:anon/pages:%zu%s",
				 var[i], pages, con[j]);
			want++, found += has(&nm, w);
		}
		snprintf(w, sizeof(w), "kwalk_ab/backing:anon/pages:%zu%s",
			 pages, con[j]);
		want++, found += has(&nm, w);
	}
	for (i = 0; i < nm.n; i++)
		claims += strncmp(nm.v[i], "kmod_pin_", 9) ||
			  nm.claim[i] == (double)pages;
	ok(!ret && found == want && nm.n == want && claims == nm.n,
	   "kmod: names as before (%d of %d, %d made), pin claims %zu pages",
	   found, want, nm.n, pages);
}

/*
 * A driver workload; no module: absent at registration (a path check,
 * with the -K reason), and left out by the probe phase when open failed.
 */
static void test_kmod_absent(void)
{
	const struct gupb_wl *wl = gupb_workload_find("kmod");
	struct gupb_ctx ctx;
	const char *why, *why2;

	gupb_ctx_init(&ctx);
	ctx.cfg.kmod_dev = "/nonexistent/gupbench";
	ctx.cfg.kmod_reason = "not built";
	why = wl ? wl->absent(&ctx) : NULL;
	snprintf(ctx.kmod_why, sizeof(ctx.kmod_why), "module ABI 1, this build expects 9");
	why2 = wl ? wl->prepare(&ctx) : NULL;
	ok(wl == &gupb_wl_kmod && wl->gb.manual_time && why &&
	   !strcmp(why, "/nonexistent/gupbench: No such file or directory; not built") &&
	   why2 && !strcmp(why2, ctx.kmod_why),
	   "kmod: a driver workload; absent says why with -K's reason (%s), prepare gives the open's (%s)",
	   why ? why : "none", why2 ? why2 : "none");
}

/*
 * gup_test_* as register_fn named them: per profile size in whole pages,
 * 1 to GUPB_MAX_PAGES_PER_CALL, gup_fast then pin_fast; backing anon.
 */
static void test_guptest_names(void)
{
	static const size_t sizes[] = { 4096, 16384, 65536, 2 << 20, 4 << 20 };
	size_t page = gupb_page_size(), i, pages;
	struct gupb_ctx ctx;
	struct names nm, want;
	char err[256];
	int ret, j, same;

	gupb_ctx_init(&ctx);
	memset(&nm, 0, sizeof(nm));
	memset(&want, 0, sizeof(want));
	ret = parse_profile("repetitions = 1\nmin_time = 0.1\n"
			    "sizes = 4k, 16k, 64k, 2M, 4M\n"
			    "backings = anon, thp\nlayouts = inside, cross_pmd\n",
			    &ctx.cfg.profile, err);
	ret = ret ? ret : gupb_expand(&gupb_wl_guptest, &ctx, collect, &nm);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pages = sizes[i] / page;
		if (sizes[i] % page || pages > GUPB_MAX_PAGES_PER_CALL)
			continue;
		for (j = 0; j < 2; j++)
			snprintf(want.v[want.n++], sizeof(want.v[0]),
				 "gup_test_%s/backing:anon/pages:%zu",
				 j ? "pin_fast" : "gup_fast", pages);
	}
	same = !ret && nm.n == want.n && want.n >= 2;
	for (j = 0; same && j < nm.n; j++)
		same = !strcmp(nm.v[j], want.v[j]);
	ok(same && !has(&nm, "gup_test_gup_fast/backing:anon/pages:1024"),
	   "guptest: names as before, pages 1..%d, size-major (%d, first %s)",
	   GUPB_MAX_PAGES_PER_CALL, nm.n, nm.n ? nm.v[0] : "none");
}

/* A driver workload; no gup_test: not run, said why. */
static void test_guptest_unavailable(void)
{
	const struct gupb_wl *wl = gupb_workload_find("guptest");
	struct gupb_ctx ctx;
	const char *why;

	gupb_ctx_init(&ctx);
	why = wl ? wl->absent(&ctx) : "not registered";
	ok(wl == &gupb_wl_guptest && wl->gb.manual_time &&
	   (!why || (!strncmp(why, "/sys/kernel/debug/gup_test: ", 28) &&
		     strstr(why, "(needs CONFIG_GUP_TEST and debugfs, as root)"))),
	   "guptest: a driver workload; absent says why (%s)",
	   why ? why : "gup_test here");
}

/*
 * The driver end to end, through Google Benchmark: a workload of two
 * benchmarks x 3 repetitions, counting its hooks.
 */
enum { RED, BLUE };
static int n_setup[2], n_teardown[2], n_begin[2], n_end[2], n_op[2];

static int colour(const struct gupb_case *c)
{
	return strcmp(c->val[0], "red") ? BLUE : RED;
}

static enum gupb_verdict r_setup(struct gupb_case *c, char *why, size_t len)
{
	(void)why, (void)len;
	n_setup[colour(c)]++;
	return GUPB_RUN;
}

/* red is proven; blue is "inconclusive": a skip. */
static enum gupb_proof r_prove(struct gupb_case *c, char *why, size_t len)
{
	c->measured = 1;
	snprintf(why, len, "%s", "7 pins/s elsewhere");
	return colour(c) == RED ? GUPB_PROVEN : GUPB_INCONCLUSIVE;
}

static enum gupb_verdict r_begin(struct gupb_case *c, char *why, size_t len)
{
	(void)why, (void)len;
	n_begin[colour(c)]++;
	return GUPB_RUN;
}

static void r_end(struct gupb_case *c)
{
	n_end[colour(c)]++;
}

static int r_op(struct gupb_case *c)
{
	n_op[colour(c)]++;
	return 0;
}

static void r_teardown(struct gupb_case *c)
{
	n_teardown[colour(c)]++;
}

static double r_claim(const struct gupb_case *c)
{
	(void)c;
	return 1;
}

static const struct gupb_family r_families[] = {
	GUPB_FAMILY("t_run", 0, GUPB_CTR_GUP_PER_ITER,
		    GUPB_OVER("colour", colours)),
	GUPB_FAMILY_END
};

static const struct gupb_wl r_wl = {
	.name = "t_run", .families = r_families, .no_buffer = true,
	.gb = { .iterations = 4, .repetitions = 3 }, .op_name = "t_run",
	.setup = r_setup, .prove = r_prove, .claim = r_claim,
	.begin = r_begin, .end = r_end, .op = r_op, .teardown = r_teardown,
};

static void test_driver_run(void)
{
	char out[] = "/tmp/gupbench-test-XXXXXX", arg[64], *json = NULL;
	char *argv[] = { "test_units", arg, "--benchmark_out_format=json", NULL };
	int argc = 3, fd = mkstemp(out), saved = dup(1), null;
	struct gupb_ctx ctx;
	bool good = true;
	FILE *f;
	long n = 0;

	gupb_ctx_init(&ctx);
	snprintf(arg, sizeof(arg), "--benchmark_out=%s", out);
	gb_init(&argc, argv);
	null = open("/dev/null", O_WRONLY);
	fflush(stdout);
	dup2(null, 1);	/* the console reporter: not into our TAP */
	if (fd >= 0 && !gupb_register_wl(&r_wl, &ctx) && !gupb_publish())
		gb_run();
	gupb_case_release(NULL);
	fflush(stdout);
	dup2(saved, 1);
	close(null);
	f = fdopen(fd, "r");
	if (f && (json = calloc(1, 1 << 16)))
		n = (long)fread(json, 1, (1 << 16) - 1, f);
	good &= EXPECT_TRUE(n > 0);
	good &= EXPECT_EQ(n_setup[RED], 1);
	good &= EXPECT_EQ(n_begin[RED], 3);
	good &= EXPECT_EQ(n_end[RED], 3);
	good &= EXPECT_EQ(n_op[RED], 12);
	good &= EXPECT_EQ(n_teardown[RED], 1);
	good &= EXPECT_EQ(n_setup[BLUE], 1);
	good &= EXPECT_EQ(n_teardown[BLUE], 1);
	good &= EXPECT_EQ(n_begin[BLUE], 0);
	good &= EXPECT_EQ(n_op[BLUE], 0);
	good &= EXPECT_HAS(json, "\"claim_gup_per_iter\": 1");
	good &= EXPECT_HAS(json, "skipped: cannot prove the path on a busy machine: 7 pins/s elsewhere");
	ok(good,
	   "driver run: set-up once per benchmark (3 repetitions), begin/end per run, teardown when the next starts; claim written; an inconclusive proof skips (setup %d/%d, runs %d, ops %d, teardown %d/%d)",
	   n_setup[RED], n_setup[BLUE], n_begin[RED], n_op[RED],
	   n_teardown[RED], n_teardown[BLUE]);
	free(json);
	if (f)
		fclose(f);
	unlink(out);
}

static void test_proof_verdicts(void)
{
	char m0[128], m1[128], m2[128], m3[128];

	ok(gupb_proof_verdict(GUPB_PROVEN, "x", m0, 128) == GUPB_RUN &&
	   gupb_proof_verdict(GUPB_REFUTED, "measured 0", m1, 128) == GUPB_ERROR &&
	   !strcmp(m1, "proof of path failed: measured 0") &&
	   gupb_proof_verdict(GUPB_OP_FAILED, "pread: EIO", m2, 128) == GUPB_ERROR &&
	   !strcmp(m2, "pread: EIO") &&
	   gupb_proof_verdict(GUPB_INCONCLUSIVE, "9 pins/s", m3, 128) == GUPB_SKIP &&
	   !strcmp(m3, "cannot prove the path on a busy machine: 9 pins/s"),
	   "proof verdicts: proven runs, refuted and failed ops are errors, inconclusive skips");
}

static int check_profile(const char *text, char *err)
{
	struct gupb_profile p;

	if (parse_profile(text, &p, err))
		return -2;
	return gupb_profile_check(&p, err, 256);
}

static void test_scoped_keys(void)
{
	struct gupb_profile p;
	char err[256];

	ok(!parse_profile(CORE "t.depths = 3\nt.depths = 4\n", &p, err) &&
	   !gupb_profile_check(&p, err, sizeof(err)) &&
	   !strcmp(gupb_profile_scoped(&p, "t", "depths"), "4") &&
	   !gupb_profile_scoped(&p, "t", "other"),
	   "scoped keys: <workload>.<key> read, the last line wins");
}

static void test_scoped_no_legacy_key(void)
{
	struct gupb_profile p;
	char err[256] = "";
	bool good = true;

	good &= EXPECT_TRUE(parse_profile(CORE "qdepths = 1, 4\n", &p, err));
	good &= EXPECT_HAS(err, "unknown key 'qdepths'");
	ok(good, "scoped keys: the old unscoped qdepths is gone (%s)", err);
}

static void test_scoped_bad_keys(void)
{
	char e1[256], e2[256], e3[256];

	ok(check_profile(CORE "t.bogus = 1\n", e1) == -1 &&
	   strstr(e1, "line 6: unknown key 't.bogus'") && strstr(e1, "t.depths") &&
	   check_profile(CORE "nosuch.depths = 1\n", e2) == -1 &&
	   strstr(e2, "unknown key 'nosuch.depths'") &&
	   check_profile(CORE "t.depths = 0\n", e3) == -1 &&
	   strstr(e3, "bad value for t.depths") && strstr(e3, "1..64"),
	   "scoped keys: unknown option (names the valid ones), workload, bad value refused (%s)",
	   e1);
}

static void test_registry(void)
{
	size_t n;
	const struct gupb_wl *const *w = gupb_workloads(&n);

	ok(n >= 1 && gupb_workload_find("t") == &t_wl && w[0] == &t_wl,
	   "registry: GUPB_WORKLOAD() registers with no table line (%zu)", n);
}

/* --- the run context's cleanup registry --- */

static int cleanup_fd = -1;

/* Async-signal-safe: one write of its tag. */
static void tag(void *arg)
{
	ssize_t n = write(cleanup_fd, arg, 1);

	(void)n;
}

/* In a child: register a, b (not signal-safe), c; then how it ends. */
static void cleanup_child(int fd, int sig)
{
	struct rlimit no_core = { 0, 0 };

	setrlimit(RLIMIT_CORE, &no_core);	/* a crash leaves no core file */
	cleanup_fd = fd;
	gupb_cleanup_add(tag, "a", true);
	gupb_cleanup_add(tag, "b", false);
	gupb_cleanup_add(tag, "c", true);
	gupb_cleanup_signals();
	if (sig)
		raise(sig);
	gupb_cleanup_run();
	gupb_cleanup_run();	/* each entry once */
	_exit(0);
}

/* What the child's registry wrote, and how it ended. */
static int cleanup_run_in_child(int sig, char *out, size_t len, int *status)
{
	size_t got = 0;
	int p[2];
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		cleanup_child(p[1], sig);
	}
	close(p[1]);
	/* Until the child is gone: one tag a write. */
	while (got < len - 1 && (n = read(p[0], out + got, len - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = 0;
	close(p[0]);
	return waitpid(pid, status, 0) == pid ? 0 : -1;
}

static void test_cleanup_exit(void)
{
	char out[16];
	int st;

	ok(!cleanup_run_in_child(0, out, sizeof(out), &st) &&
	   !strcmp(out, "cba") && WIFEXITED(st),
	   "cleanup registry at exit: every entry once, last first (%s)", out);
}

static void test_cleanup_signal(void)
{
	char out[16], out2[16];
	int st, st2;

	ok(!cleanup_run_in_child(SIGTERM, out, sizeof(out), &st) &&
	   !strcmp(out, "ca") && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM &&
	   !cleanup_run_in_child(SIGSEGV, out2, sizeof(out2), &st2) &&
	   !strcmp(out2, "ca") && WIFSIGNALED(st2) && WTERMSIG(st2) == SIGSEGV,
	   "cleanup registry on SIGTERM and a crash: only the signal-safe entries, then death by the same signal (%s, %s)",
	   out, out2);
}

/* --- buffers and layouts --- */

static void test_level_sizes(void)
{
	ok(gupb_level_size(4096, 1) == (2UL << 20) &&
	   gupb_level_size(4096, 2) == (1UL << 30) &&
	   gupb_level_size(16384, 1) == (32UL << 20) &&
	   gupb_level_size(16384, 2) == (64UL << 30) &&
	   gupb_level_size(65536, 1) == (512UL << 20) &&
	   gupb_level_size(65536, 2) == (4UL << 40) &&
	   gupb_pmd_size() == gupb_level_size(gupb_page_size(), 1),
	   "level sizes: 4K 2M/1G, 16K 32M/64G, 64K 512M/4T; PMD follows the page size");
}

static void test_layout_inside(void)
{
	size_t pmd = gupb_pmd_size(), page = gupb_page_size();
	size_t base = 3 * pmd + 5 * page;

	ok((base + gupb_layout_offset(base, 4 * page, 0, page)) % pmd == 0,
	   "layout inside: starts on a PMD boundary");
}

static void test_layout_cross(void)
{
	size_t page = gupb_page_size(), pmd = gupb_pmd_size();
	size_t pud = gupb_pud_size(), base = pmd + 3 * page, off, len;

	len = 4 * pmd;
	off = gupb_layout_offset(base, len, pud, pmd);
	ok(off != (size_t)-1 && (base + off) % pmd == 0 &&
	   (base + off + len / 2) % pud == 0 &&
	   (off = gupb_layout_offset(base, 5 * page, pmd, page)) != (size_t)-1 &&
	   (base + off) / pmd != (base + off + 5 * page - 1) / pmd,
	   "layout cross: half on each side (huge granules), an odd page count straddles");
}

static void test_layout_one_granule(void)
{
	size_t page = gupb_page_size(), pmd = gupb_pmd_size();

	ok(gupb_layout_offset(pmd + page, pmd, pmd, pmd) == (size_t)-1 &&
	   gupb_layout_offset(pmd + page, page, pmd, page) == (size_t)-1,
	   "layout: one granule cannot straddle");
}

static void test_buf_refusals(void)
{
	struct gupb_buf b;
	char why[256];

	ok(gupb_buf_alloc(&b, "anon", "inside", gupb_page_size() + 1, tmpdir,
			  why, sizeof(why)) != 0 &&
	   gupb_buf_alloc(&b, "floppy", "inside", gupb_page_size(), tmpdir,
			  why, sizeof(why)) != 0,
	   "buffer: unaligned length and unknown backing refused");
}

static void test_buf_anon(void)
{
	check_buf("anon", "inside", 16 * gupb_page_size());
	check_buf("anon", "cross_pmd", 16 * gupb_page_size());
	check_buf("anon", "cross_pud", 16 * gupb_page_size());
}

static void test_buf_thp(void)
{
	check_buf("thp", "inside", 16 * gupb_page_size());
	check_buf("thp", "cross_pmd", 16 * gupb_page_size());
	check_buf("thp", "cross_pmd", 2 * gupb_pmd_size());
	check_buf("thp", "cross_pud", 16 * gupb_page_size());
	check_buf("thp", "cross_pud", 2 * gupb_pmd_size());
}

static void test_buf_shmem(void)
{
	check_buf("shmem", "inside", 16 * gupb_page_size());
	check_buf("shmem", "cross_pmd", 16 * gupb_page_size());
	check_buf("shmem", "cross_pud", 16 * gupb_page_size());
}

static void test_buf_file(void)
{
	check_buf("file", "inside", 16 * gupb_page_size());
	check_buf("file", "cross_pmd", 16 * gupb_page_size());
}

/* --- proof of path --- */

static void test_vmstat_parse(void)
{
	struct gupb_pins p = { 0, 0 }, q = { 0, 0 };

	ok(!gupb_pins_parse("nr_foo 1\nnr_foll_pin_acquired 42\n"
			    "nr_foll_pin_released 40\n", &p) &&
	   p.acquired == 42 && p.released == 40 &&
	   !gupb_pins_parse("nr_foll_pin_released 3\nnr_foll_pin_acquired 7\n",
			    &q) && q.acquired == 7 && q.released == 3 &&
	   gupb_pins_parse("nr_foo 1\n", &p) == -1 &&
	   gupb_pins_parse("nr_foll_pin_acquired x\nnr_foll_pin_released 1\n",
			   &p) == -1,
	   "vmstat parse: either order; missing or garbage refused");
}

static void test_vmstat_read(void)
{
	struct gupb_pins p = { 0, 0 };
	int r = gupb_pins_read(&p);

	ok(r == 0 && p.acquired >= p.released,
	   "vmstat: nr_foll_pin_* readable here (%lld/%lld)", p.acquired,
	   p.released);
}

static void test_pins_match(void)
{
	char why[128];

	ok(gupb_pins_match(16, 16, why, sizeof(why)) &&
	   gupb_pins_match(16.4, 16, why, sizeof(why)) &&
	   !gupb_pins_match(0, 16, why, sizeof(why)) &&
	   !gupb_pins_match(8, 16, why, sizeof(why)) &&
	   gupb_pins_match(0.1, 0, why, sizeof(why)) &&
	   !gupb_pins_match(3, 0, why, sizeof(why)) &&
	   !gupb_pins_match(-1, 1, why, sizeof(why)) &&
	   !gupb_pins_match(64, 16, why, sizeof(why)) && strstr(why, "64.00"),
	   "pins_match: claims and controls, half or four times fails, with the value");
}

static void test_prove_refutes(void)
{
	char why[128];
	double got;
	enum gupb_proof r = gupb_pins_prove(no_pin, NULL, 8, 1, &got, why,
					    sizeof(why));

	proof(r, GUPB_REFUTED, got, why, "prove: an op that pins nothing fails");
}

static void test_prove_control(void)
{
	char why[128];
	double got;
	enum gupb_proof r = gupb_pins_prove(no_pin, NULL, 8, 0, &got, why,
					    sizeof(why));

	proof(r, GUPB_PROVEN, got, why, "prove: a control that pins nothing passes");
}

static void test_prove_op_failed(void)
{
	char why[128];
	double got;

	errno = 0;
	ok(gupb_pins_prove(fails, NULL, 8, 1, &got, why, sizeof(why)) ==
	   GUPB_OP_FAILED && errno == EIO && gupb_pins_per_op(NULL, NULL, 0) < 0,
	   "prove: a failing op is reported with its errno; n = 0 refused");
}

static const struct {
	void (*fn)(void);
} tests[] = {
	{ test_kconfig }, { test_kconfig_none }, { test_sysfs_choice },
	{ test_release_build }, { test_profile_good },
	{ test_profile_refusals }, { test_list_has }, { test_sweep_names },
	{ test_sweep_rules }, { test_sweep_size_major },
	{ test_sweep_option_axis }, { test_sweep_unaligned_size },
	{ test_sweep_pages }, { test_guptest_names },
	{ test_guptest_unavailable }, { test_kmod_names },
	{ test_kmod_absent }, { test_driver_run },
	{ test_proof_verdicts }, { test_scoped_keys },
	{ test_scoped_no_legacy_key }, { test_scoped_bad_keys },
	{ test_registry }, { test_cleanup_exit }, { test_cleanup_signal },
	{ test_level_sizes }, { test_layout_inside },
	{ test_layout_cross }, { test_layout_one_granule },
	{ test_buf_refusals }, { test_buf_anon }, { test_buf_thp },
	{ test_buf_shmem }, { test_buf_file }, { test_hugetlb },
	{ test_vmstat_parse }, { test_vmstat_read }, { test_pins_match },
	{ test_prove_refutes }, { test_prove_control },
	{ test_prove_op_failed }, { test_target_missing },
	{ test_target_dir }, { test_target_chardev }, { test_target_sparse },
	{ test_target_tmpfs }, { test_target_fallocated },
	{ test_target_written }, { test_zram },
};

int main(int argc, char **argv)
{
	static char def[512];
	size_t i;
	int a;

	/* The fixtures sit next to this file: tests/fixtures/config. */
	snprintf(def, sizeof(def), "%s", __FILE__);
	if (strrchr(def, '/'))
		*strrchr(def, '/') = 0;
	else
		snprintf(def, sizeof(def), ".");
	strncat(def, "/../fixtures/config", sizeof(def) - strlen(def) - 1);
	fixtures = def;
	tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp";
	for (a = 1; a < argc; a++) {
		char probe[600];

		snprintf(probe, sizeof(probe), "%s/x86_64.config", argv[a]);
		if (access(probe, R_OK) == 0)
			fixtures = argv[a];
		else
			tmpdir = argv[a];
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		tests[i].fn();
	return tap_done();
}
