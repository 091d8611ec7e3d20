// SPDX-License-Identifier: GPL-2.0
/*
 * test_units.c - unit tests of the suite's pure parts and buffers, TAP.
 * Usage: test_units FIXTURE_DIR
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buffers.h"
#include "meta.h"
#include "profile.h"
#include "target.h"
#include "vmstat.h"
#include "../tap.h"



static char *slurp(const char *dir, const char *name)
{
	char path[512];
	static char buf[65536];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void test_kconfig(const char *dir)
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
		char *t = slurp(dir, c[i].file);

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
	gupb_parse_kconfig(NULL, &kc);
	ok(!strcmp(kc.pgtable_levels, "unknown"), "kconfig: no config -> unknown");
}

static void test_sysfs_choice(void)
{
	char v[32];

	gupb_sysfs_choice("always [madvise] never\n", v, sizeof(v));
	ok(!strcmp(v, "madvise"), "sysfs choice [madvise]");
	gupb_sysfs_choice("always madvise never\n", v, sizeof(v));
	ok(!strcmp(v, "unknown"), "sysfs choice without brackets -> unknown");
}

static int parse_profile(const char *text, struct gupb_profile *p,
			 char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret = gupb_profile_parse(f, "t", p, err, 256);

	fclose(f);
	return ret;
}

static void test_profile(void)
{
	struct gupb_profile p;
	char err[256];

	ok(!parse_profile("repetitions = 5\nmin_time = 0.1\nsizes = 4k, 2M\n"
			  "qdepths = 1,8\nbackings = anon, thp\n"
			  "layouts = inside\n", &p, err) &&
	   p.repetitions == 5 && p.nr_sizes == 2 && p.sizes[0] == 4096 &&
	   p.sizes[1] == 2 << 20 &&
	   !strcmp(gupb_profile_scoped(&p, "iouring", "qdepths"), "1,8") &&
	   gupb_list_has(p.backings, "thp") &&
	   !gupb_list_has(p.backings, "hugetlb"),
	   "profile: a good profile parses");
	ok(parse_profile("repetitions = 0\n", &p, err) != 0 &&
	   strstr(err, "repetitions"), "profile: repetitions 0 refused (%s)",
	   err);
	ok(parse_profile("bogus = 1\n", &p, err) != 0 &&
	   strstr(err, "unknown key"), "profile: unknown key refused");
	ok(parse_profile("repetitions = 5\nmin_time = 0.1\nsizes = 4k\n"
			 "qdepths = 1\nbackings = anon, floppy\n"
			 "layouts = inside\n", &p, err) != 0,
	   "profile: unknown backing refused");
	ok(parse_profile("repetitions = 5\n", &p, err) != 0 &&
	   strstr(err, "incomplete"), "profile: incomplete refused");
	ok(gupb_list_has("anon,thp", "anon") && !gupb_list_has("anonx", "anon"),
	   "list_has matches whole words");
}

static void test_layout_math(void)
{
	size_t pmd = gupb_pmd_size(), page = gupb_page_size();
	size_t base = 3 * pmd + 5 * page, off;

	ok(pmd == page * (page / 8), "pmd size %zu for page %zu", pmd, page);
	off = gupb_layout_offset(base, 4 * page, 0, page);
	ok((base + off) % pmd == 0, "inside: starts on a PMD boundary");
	off = gupb_layout_offset(base, 4 * page, pmd, page);
	ok((base + off) / pmd != (base + off + 4 * page - 1) / pmd &&
	   (base + off) % page == 0, "cross_pmd: straddles a PMD boundary");
	ok(gupb_layout_offset(base, page, pmd, page) == (size_t)-1,
	   "cross_pmd: one page cannot straddle");
}

static void test_buffers(void)
{
	static const char *const backings[] = { "anon", "thp", "shmem",
						"file", "hugetlb" };
	size_t pmd = gupb_pmd_size(), page = gupb_page_size(), len = 16 * page;
	struct gupb_buf b;
	char why[256];
	size_t i;

	for (i = 0; i < 5; i++) {
		int r = gupb_buf_alloc(&b, backings[i], "inside", len, "/tmp",
				       why, sizeof(why));

		if (r && !strcmp(backings[i], "hugetlb")) {
			ok(strstr(why, "hugetlb") != NULL,
			   "buffer hugetlb: skipped with a reason (%s)", why);
			continue;
		}
		ok(!r && (size_t)b.addr % pmd == 0 && b.addr[len - 1] == 1,
		   "buffer %s inside: allocated, PMD aligned, prefaulted (%s)",
		   backings[i], r ? why : "ok");
		if (!r && !strcmp(backings[i], "thp"))
			ok(gupb_thp_bytes(b.addr) >= (long)pmd,
			   "buffer thp: really THP (%ld bytes)",
			   gupb_thp_bytes(b.addr));
		if (!r && !strcmp(backings[i], "anon"))
			ok(gupb_thp_bytes(b.addr) == 0, "buffer anon: no THP");
		if (!r)
			gupb_buf_free(&b);
		r = gupb_buf_alloc(&b, backings[i], "cross_pmd", len, "/tmp",
				   why, sizeof(why));
		if (!r) {
			size_t a = (size_t)b.addr;

			ok(a / pmd != (a + len - 1) / pmd,
			   "buffer %s cross_pmd: straddles", backings[i]);
			gupb_buf_free(&b);
		} else {
			ok(!strcmp(backings[i], "thp") && strstr(why, "straddle"),
			   "buffer %s cross_pmd: %s", backings[i], why);
		}
	}
	ok(gupb_buf_alloc(&b, "anon", "cross_pud", len, "/tmp", why,
			  sizeof(why)) == 0 &&
	   (size_t)b.addr / gupb_pud_size() !=
	   ((size_t)b.addr + len - 1) / gupb_pud_size(),
	   "buffer anon cross_pud: straddles a PUD boundary");
	gupb_buf_free(&b);
	ok(gupb_buf_alloc(&b, "anon", "inside", page + 1, "/tmp", why,
			  sizeof(why)) != 0, "buffer: unaligned length refused");
	ok(gupb_buf_alloc(&b, "floppy", "inside", page, "/tmp", why,
			  sizeof(why)) != 0, "buffer: unknown backing refused");
}

static void test_vmstat(void)
{
	struct gupb_pins p;
	char why[128];

	ok(!gupb_pins_parse("nr_foo 1\nnr_foll_pin_acquired 42\n"
			    "nr_foll_pin_released 40\n", &p) &&
	   p.acquired == 42 && p.released == 40, "vmstat parse");
	ok(gupb_pins_parse("nr_foo 1\n", &p) == -1, "vmstat parse: missing");
	ok(gupb_pins_match(16, 16, why, sizeof(why)) &&
	   !gupb_pins_match(0, 16, why, sizeof(why)) &&
	   gupb_pins_match(0.1, 0, why, sizeof(why)) &&
	   !gupb_pins_match(3, 0, why, sizeof(why)) &&
	   !gupb_pins_match(-1, 1, why, sizeof(why)),
	   "pins_match: pinning ops and controls");
}

static void test_target(const char *dir)
{
	struct gupb_target t;
	char path[512];
	FILE *f;

	ok(gupb_target_open("/nonexistent/gupbench", &t) == -EINVAL,
	   "target: missing path -> EINVAL");
	ok(gupb_target_open("/dev/null", &t) == -EINVAL,
	   "target: character device -> EINVAL");
	snprintf(path, sizeof(path), "%s/sparse.img", dir);
	f = fopen(path, "w");
	if (f) {
		fclose(f);
		truncate(path, 8 << 20);
		ok(gupb_target_open(path, &t) == -EINVAL,
		   "target: sparse file refused (reads would pin nothing)");
		unlink(path);
	}
}

static void test_release_build(void)
{
	char build[128], patch[32];

	ok(gupb_release_build("6.12.117-gupb-16k-52-lpa2-0001", build,
			      sizeof(build), patch, sizeof(patch)) &&
	   !strcmp(build, "16k-52-lpa2-0001") && !strcmp(patch, "0001"),
	   "release -gupb-16k-52-lpa2-0001: build %s, patch %s", build, patch);
	ok(gupb_release_build("6.12.117-gupb-4k-48-stock", build,
			      sizeof(build), patch, sizeof(patch)) &&
	   !strcmp(patch, "none"), "release -gupb-4k-48-stock: patch none");
	ok(!gupb_release_build("6.12.117+deb12-arm64", build, sizeof(build),
			       patch, sizeof(patch)),
	   "a distro release names no gupbench build");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/fixtures/config";

	test_kconfig(dir);
	test_sysfs_choice();
	test_release_build();
	test_profile();
	test_layout_math();
	test_buffers();
	test_vmstat();
	test_target(getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return tap_done();
}
