// SPDX-License-Identifier: GPL-2.0
/*
 * test_workloads.c - what the workloads stand on: buffers really have the
 * backing and layout they claim, the O_DIRECT target really pins, bad
 * targets are refused. TAP (kselftest style); a case that cannot run here
 * (not root, no THP, ...) is "ok N # SKIP reason".
 *
 * Usage: test_workloads [TMPDIR]   (a directory on a disk filesystem)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffers.h"
#include "target.h"
#include "vmstat.h"
#include "../tap.h"




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

static void test_level_sizes(void)
{
	ok(gupb_level_size(4096, 1) == (2UL << 20) &&
	   gupb_level_size(4096, 2) == (1UL << 30),
	   "level sizes 4K: PMD 2M, PUD 1G");
	ok(gupb_level_size(16384, 1) == (32UL << 20) &&
	   gupb_level_size(16384, 2) == (64UL << 30),
	   "level sizes 16K: PMD 32M, PUD 64G");
	ok(gupb_level_size(65536, 1) == (512UL << 20) &&
	   gupb_level_size(65536, 2) == (4UL << 40),
	   "level sizes 64K: PMD 512M, PUD 4T");
	ok(gupb_pmd_size() == gupb_level_size(gupb_page_size(), 1),
	   "PMD size follows the running page size (%zu)", gupb_page_size());
}

static void test_layout_offsets(void)
{
	size_t page = gupb_page_size(), pmd = gupb_pmd_size();
	size_t pud = gupb_pud_size(), base = pmd + 3 * page, off, len;

	/* Straddle with huge granules: the boundary splits whole granules. */
	len = 4 * pmd;
	off = gupb_layout_offset(base, len, pud, pmd);
	ok(off != (size_t)-1 && (base + off) % pmd == 0 &&
	   (base + off + len / 2) % pud == 0,
	   "cross_pud with PMD granules: half on each side, PMD aligned");
	/* An odd number of pages: still one boundary inside the buffer. */
	len = 5 * page;
	off = gupb_layout_offset(base, len, pmd, page);
	ok(off != (size_t)-1 && (base + off) / pmd != (base + off + len - 1) / pmd,
	   "cross_pmd with 5 pages straddles");
	ok(gupb_layout_offset(base, pmd, pmd, pmd) == (size_t)-1,
	   "one huge granule cannot straddle");
}

static void check_buf(const char *backing, const char *layout, size_t len,
		      const char *tmpdir)
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

static void test_buffers(const char *tmpdir)
{
	static const char *const backings[] = { "anon", "thp", "shmem",
						"file" };
	size_t page = gupb_page_size(), pmd = gupb_pmd_size();
	size_t i;

	for (i = 0; i < 4; i++) {
		check_buf(backings[i], "inside", 16 * page, tmpdir);
		check_buf(backings[i], "cross_pmd", 16 * page, tmpdir);
	}
	/* THP buffers larger than one huge page, and across a PUD. */
	check_buf("thp", "cross_pmd", 2 * pmd, tmpdir);
	check_buf("anon", "cross_pud", 16 * page, tmpdir);
	check_buf("shmem", "cross_pud", 16 * page, tmpdir);
	check_buf("thp", "cross_pud", 16 * page, tmpdir);
	check_buf("thp", "cross_pud", 2 * pmd, tmpdir);
}

/*
 * hugetlb: with no free huge pages the allocation fails with a reason and
 * a hint; as root, reserve a few for the test and give them back.
 */
static void test_hugetlb(const char *tmpdir)
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
	check_buf("hugetlb", "inside", pmd, tmpdir);
	check_buf("hugetlb", "cross_pmd", 16 * gupb_page_size(), tmpdir);
	check_buf("hugetlb", "cross_pmd", 2 * pmd, tmpdir);
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
static void test_zram(const char *tmpdir)
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

static void test_path_targets(const char *tmpdir)
{
	struct gupb_target t;
	char path[512], *blk;
	int fd, ret;

	ok(gupb_target_open("/nonexistent/gupbench", &t) == -EINVAL,
	   "target: missing path is a usage error");
	ok(gupb_target_open(tmpdir, &t) == -EINVAL,
	   "target: a directory is a usage error");
	/* tmpfs refuses O_DIRECT: unavailable with a reason, not fatal. */
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
	/* Fallocated: unwritten extents would be zero-filled, never pinned. */
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
	/* Fully written: accepted, read-only, and O_DIRECT reads pin. */
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

static void test_probe(void)
{
	double got;
	enum gupb_proof ret;
	struct gupb_pins p = { 0, 0 };
	char why[128];

	int r = gupb_pins_read(&p);

	ok(r == 0 && p.acquired >= p.released,
	   "vmstat: nr_foll_pin_* readable here (%lld/%lld)", p.acquired,
	   p.released);
	ok(!gupb_pins_parse("nr_foll_pin_released 3\nnr_foll_pin_acquired 7\n",
			    &p) && p.acquired == 7 && p.released == 3,
	   "vmstat parse: order does not matter");
	ok(gupb_pins_parse("nr_foll_pin_acquired x\nnr_foll_pin_released 1\n",
			   &p) == -1, "vmstat parse: garbage refused");
	ok(gupb_pins_match(16.4, 16, why, sizeof(why)) &&
	   !gupb_pins_match(8, 16, why, sizeof(why)) &&
	   !gupb_pins_match(64, 16, why, sizeof(why)) && strstr(why, "64.00"),
	   "pins_match: half or four times the claim fails, with the value");
	ok(gupb_pins_per_op(NULL, NULL, 0) < 0, "probe: n = 0 refused");
	ret = gupb_pins_prove(no_pin, NULL, 8, 1, &got, why, sizeof(why));
	proof(ret, GUPB_REFUTED, got, why, "prove: an op that pins nothing fails");
	ret = gupb_pins_prove(no_pin, NULL, 8, 0, &got, why, sizeof(why));
	proof(ret, GUPB_PROVEN, got, why, "prove: a control that pins nothing passes");
	errno = 0;
	ok(gupb_pins_prove(fails, NULL, 8, 1, &got, why, sizeof(why)) ==
	   GUPB_OP_FAILED && errno == EIO, "prove: a failing op is reported with its errno");
}

int main(int argc, char **argv)
{
	const char *tmpdir = argc > 1 ? argv[1] : "/var/tmp";

	test_level_sizes();
	test_layout_offsets();
	test_buffers(tmpdir);
	test_hugetlb(tmpdir);
	test_probe();
	test_path_targets(tmpdir);
	test_zram(tmpdir);
	return tap_done();
}
