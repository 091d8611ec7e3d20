// SPDX-License-Identifier: GPL-2.0
/* buffers.c - backings and layouts for the buffers the workloads pin. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sys/buffers.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#endif

size_t gupb_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * One table page holds page / 8 entries at every level (8-byte
 * descriptors on arm64 and x86_64), so an entry at level n above the PTEs
 * maps page * (page / 8)^n bytes: 4K -> 2M/1G, 16K -> 32M/64G,
 * 64K -> 512M/4T.
 */
size_t gupb_level_size(size_t page, int level)
{
	size_t sz = page;

	while (level-- > 0)
		sz *= page / 8;
	return sz;
}

size_t gupb_pmd_size(void)
{
	return gupb_level_size(gupb_page_size(), 1);
}

size_t gupb_pud_size(void)
{
	return gupb_level_size(gupb_page_size(), 2);
}

static size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) / a * a;
}

static size_t align_down(size_t x, size_t a)
{
	return x / a * a;
}

size_t gupb_layout_offset(size_t base, size_t len, size_t boundary,
			  size_t gran)
{
	size_t b, half;

	if (!boundary) {
		/* inside: start on a PMD boundary. */
		return align_up(base, gupb_pmd_size()) - base;
	}
	half = align_down(len / 2, gran);
	if (half == 0 || half >= len)
		return (size_t)-1;
	b = align_up(base + half, boundary);
	return b - half - base;
}

static long hugetlb_size(void)
{
	char line[128];
	long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

long gupb_thp_bytes(const void *addr)
{
	char line[256];
	unsigned long lo, hi, a = (unsigned long)addr;
	int in = 0;
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	if (f)
		fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

static int file_backing(struct gupb_buf *b, const char *tmpdir, size_t size,
			char *why, size_t wl)
{
	char path[4096], *zero;
	size_t done = 0;

	if (!strcmp(b->backing, "shmem")) {
		/*
		 * Without memfd_create (CONFIG_MEMFD_CREATE=n) the caller maps
		 * MAP_SHARED | MAP_ANONYMOUS: the same shmem pages, no fd.
		 */
		b->fd = memfd_create("gupbench", MFD_CLOEXEC);
		if (b->fd < 0 && errno == ENOSYS)
			return 0;
		if (b->fd < 0) {
			snprintf(why, wl, "memfd_create: %s", strerror(errno));
			return -1;
		}
		if (ftruncate(b->fd, (off_t)size)) {
			snprintf(why, wl, "ftruncate memfd: %s",
				 strerror(errno));
			return -1;
		}
		return 0;
	}
	snprintf(path, sizeof(path), "%s/.gupbench-buf-XXXXXX", tmpdir);
	b->fd = mkstemp(path);
	if (b->fd < 0) {
		snprintf(why, wl, "cannot create a file in %s: %s", tmpdir,
			 strerror(errno));
		return -1;
	}
	unlink(path);
	/* Written, not sparse: the pages exist in the page cache. */
	zero = calloc(1, 1 << 20);
	while (zero && done < size) {
		size_t n = size - done < (1 << 20) ? size - done : 1 << 20;
		ssize_t w = write(b->fd, zero, n);

		if (w <= 0)
			break;
		done += (size_t)w;
	}
	free(zero);
	if (done < size) {
		snprintf(why, wl, "cannot write the backing file in %s",
			 tmpdir);
		return -1;
	}
	return 0;
}

/*
 * One backing: its granule (0: not here, with why), how its granules are
 * mapped at lo, and what must hold once the buffer is prefaulted.
 */
struct backing {
	const char *name;
	size_t (*granule)(char *why, size_t wl);
	int (*map)(struct gupb_buf *b, size_t lo, size_t len,
		   const char *tmpdir, char *why, size_t wl);
	int (*check)(const struct gupb_buf *b, size_t mapped, char *why,
		     size_t wl);
};

static size_t page_granule(char *why, size_t wl)
{
	(void)why, (void)wl;
	return gupb_page_size();
}

static size_t pmd_granule(char *why, size_t wl)
{
	(void)why, (void)wl;
	return gupb_pmd_size();
}

static size_t hugetlb_granule(char *why, size_t wl)
{
	size_t gran = (size_t)hugetlb_size();

	if (!gran)
		snprintf(why, wl, "no hugetlb support");
	return gran;
}

/* mmap at lo, fixed; "mmap <backing>: <errno>" when refused. */
static void *map_at(struct gupb_buf *b, size_t lo, size_t len, int flags,
		    char *why, size_t wl)
{
	void *m = mmap((void *)lo, len, PROT_READ | PROT_WRITE,
		       MAP_FIXED | flags, b->fd, 0);

	if (m == MAP_FAILED)
		snprintf(why, wl, "mmap %s: %s", b->backing, strerror(errno));
	return m == MAP_FAILED ? NULL : m;
}

static int map_anon(struct gupb_buf *b, size_t lo, size_t len,
		    const char *tmpdir, char *why, size_t wl)
{
	void *m = map_at(b, lo, len, MAP_PRIVATE | MAP_ANONYMOUS, why, wl);

	(void)tmpdir;
	if (m)
		madvise(m, len, MADV_NOHUGEPAGE);
	return m ? 0 : -1;
}

static int map_thp(struct gupb_buf *b, size_t lo, size_t len,
		   const char *tmpdir, char *why, size_t wl)
{
	void *m = map_at(b, lo, len, MAP_PRIVATE | MAP_ANONYMOUS, why, wl);

	(void)tmpdir;
	if (m && madvise(m, len, MADV_HUGEPAGE)) {
		snprintf(why, wl, "madvise(MADV_HUGEPAGE): %s", strerror(errno));
		return -1;
	}
	return m ? 0 : -1;
}

static int map_hugetlb(struct gupb_buf *b, size_t lo, size_t len,
		       const char *tmpdir, char *why, size_t wl)
{
	(void)tmpdir;
	if (map_at(b, lo, len, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, why,
		   wl))
		return 0;
	snprintf(why, wl,
		 "no free hugetlb pages (%s; reserve some: echo 8 > /proc/sys/vm/nr_hugepages)",
		 strerror(errno));
	return -1;
}

/* shmem: a memfd; file: a fully written file in tmpdir. */
static int map_shared(struct gupb_buf *b, size_t lo, size_t len,
		      const char *tmpdir, char *why, size_t wl)
{
	if (file_backing(b, tmpdir, len, why, wl))
		return -1;
	return map_at(b, lo, len, MAP_SHARED | (b->fd < 0 ? MAP_ANONYMOUS : 0),
		      why, wl) ? 0 : -1;
}

/* anon means 4K pages: without madvise, THP=always would defeat it. */
static int no_thp(const struct gupb_buf *b, size_t mapped, char *why,
		  size_t wl)
{
	(void)mapped;
	if (gupb_thp_bytes(b->addr) <= 0)
		return 0;
	snprintf(why, wl,
		 "anon buffer got THP (MADV_NOHUGEPAGE unavailable and transparent_hugepage/enabled is always)");
	return -1;
}

/* Every huge page the buffer touches must really be one. */
static int all_thp(const struct gupb_buf *b, size_t mapped, char *why,
		   size_t wl)
{
	long huge = gupb_thp_bytes(b->addr);

	if (huge >= (long)mapped)
		return 0;
	snprintf(why, wl,
		 "THP not available: %ld of %zu KiB huge (transparent_hugepage/enabled is never, or no huge page could be allocated)",
		 huge >> 10, mapped >> 10);
	return -1;
}

static const struct backing backings[] = {
	{ "anon", page_granule, map_anon, no_thp },
	{ "thp", pmd_granule, map_thp, all_thp },
	{ "hugetlb", hugetlb_granule, map_hugetlb, NULL },
	{ "shmem", page_granule, map_shared, NULL },
	{ "file", page_granule, map_shared, NULL },
};

static const struct backing *find_backing(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(backings) / sizeof(backings[0]); i++)
		if (!strcmp(backings[i].name, name))
			return &backings[i];
	return NULL;
}

/* The boundary a layout straddles (0: inside), or -1: unknown. */
static long layout_boundary(const char *layout)
{
	if (!strcmp(layout, "inside"))
		return 0;
	if (!strcmp(layout, "cross_pmd"))
		return (long)gupb_pmd_size();
	if (!strcmp(layout, "cross_pud"))
		return (long)gupb_pud_size();
	return -1;
}

/*
 * Reserve address space, then place the buffer in it. The buffer itself
 * is placed with page granularity (a huge-page buffer may start mid huge
 * page: cross_pmd then spans two huge pages, one PMD entry each), but the
 * mapping around it covers whole granules, starting from a
 * granule-aligned base inside the reservation.
 */
static int reserve(struct gupb_buf *b, size_t gran, size_t boundary,
		   char *why, size_t wl)
{
	size_t base, off;

	b->resv_len = align_up(b->len, gran) +
		      2 * (boundary ? boundary : gupb_pmd_size()) + 2 * gran;
	b->resv = mmap(NULL, b->resv_len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (b->resv == MAP_FAILED) {
		b->resv = NULL;
		snprintf(why, wl, "cannot reserve %zu MiB of address space: %s",
			 b->resv_len >> 20, strerror(errno));
		return -1;
	}
	base = align_up((size_t)b->resv, gran);
	off = gupb_layout_offset(base, b->len, boundary, gupb_page_size());
	if (off == (size_t)-1) {
		snprintf(why, wl,
			 "a %zu-byte buffer cannot straddle a boundary: needs at least 2 pages",
			 b->len);
		return -1;
	}
	b->addr = b->resv + off + (base - (size_t)b->resv);
	return 0;
}

int gupb_buf_alloc(struct gupb_buf *b, const char *backing,
		   const char *layout, size_t len, const char *tmpdir,
		   char *why, size_t wl)
{
	const struct backing *k = find_backing(backing);
	long boundary = layout_boundary(layout);
	size_t gran = 0, lo, hi;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	b->len = len;
	snprintf(b->backing, sizeof(b->backing), "%s", backing);
	snprintf(b->layout, sizeof(b->layout), "%s", layout);
	if (!len || len % gupb_page_size())
		snprintf(why, wl, "length %zu is not a multiple of the page size",
			 len);
	else if (!k)
		snprintf(why, wl, "unknown backing %s", backing);
	else if (boundary < 0)
		snprintf(why, wl, "unknown layout %s", layout);
	else
		gran = k->granule(why, wl);
	if (!gran)
		return -1;
	if (reserve(b, gran, (size_t)boundary, why, wl))
		goto fail;
	/* Map whole granules (THP: whole PMDs) around the buffer. */
	lo = align_down((size_t)b->addr, gran);
	hi = align_up((size_t)b->addr + len, gran);
	if (k->map(b, lo, hi - lo, tmpdir, why, wl))
		goto fail;
	/* Prefault: every page written, so GUP-fast finds present, dirty PTEs. */
	memset(b->addr, 1, len);
	if (k->check && k->check(b, hi - lo, why, wl))
		goto fail;
	return 0;
fail:
	gupb_buf_free(b);
	return -1;
}

void gupb_buf_free(struct gupb_buf *b)
{
	if (b->resv)
		munmap(b->resv, b->resv_len);
	if (b->fd >= 0)
		close(b->fd);
	b->resv = NULL;
	b->addr = NULL;
	b->fd = -1;
}
