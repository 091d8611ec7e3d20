// SPDX-License-Identifier: GPL-2.0
/* meta.c - which kernel, which folding state, which host: the context. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "gb/gb.h"
#include "core/meta.h"
#include "base/schema.h"
#include "sys/pmu.h"

#ifndef GUPB_VERSION
#define GUPB_VERSION "unknown"
#endif

static void set_unknown(char *s, size_t n)
{
	snprintf(s, n, "unknown");
}

/* Value of CONFIG_<sym> in text: "y", "48", "n" for "is not set". */
static int kconfig_get(const char *text, const char *sym, char *out,
		       size_t len)
{
	size_t sl = strlen(sym);
	const char *p = text;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t ll = eol ? (size_t)(eol - p) : strlen(p);

		if (ll > sl + 7 && !strncmp(p, "CONFIG_", 7) &&
		    !strncmp(p + 7, sym, sl) && p[7 + sl] == '=') {
			size_t vl = ll - 8 - sl;
			const char *v = p + 8 + sl;

			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			if (vl >= len)
				vl = len - 1;
			memcpy(out, v, vl);
			out[vl] = 0;
			return 1;
		}
		if (ll > 9 && !strncmp(p, "# CONFIG_", 9) &&
		    !strncmp(p + 9, sym, sl) &&
		    !strncmp(p + 9 + sl, " is not set", 11)) {
			snprintf(out, len, "n");
			return 1;
		}
		p = eol ? eol + 1 : NULL;
	}
	return 0;
}

void gupb_parse_kconfig(const char *text, struct gupb_kconfig *kc)
{
	set_unknown(kc->pgtable_levels, sizeof(kc->pgtable_levels));
	set_unknown(kc->va_bits, sizeof(kc->va_bits));
	set_unknown(kc->page_shift, sizeof(kc->page_shift));
	set_unknown(kc->lpa2, sizeof(kc->lpa2));
	set_unknown(kc->x86_5level, sizeof(kc->x86_5level));
	if (!text)
		return;
	kconfig_get(text, "PGTABLE_LEVELS", kc->pgtable_levels,
		    sizeof(kc->pgtable_levels));
	if (!kconfig_get(text, "ARM64_VA_BITS", kc->va_bits,
			 sizeof(kc->va_bits)) &&
	    kconfig_get(text, "X86_64", kc->x86_5level,
			sizeof(kc->x86_5level))) {
		/* x86_64: 48 bits, or 57 with LA57 (decided at run time). */
		if (!kconfig_get(text, "X86_5LEVEL", kc->x86_5level,
				 sizeof(kc->x86_5level)))
			snprintf(kc->x86_5level, sizeof(kc->x86_5level), "n");
		snprintf(kc->page_shift, sizeof(kc->page_shift), "12");
	}
	kconfig_get(text, "ARM64_PAGE_SHIFT", kc->page_shift,
		    sizeof(kc->page_shift));
	if (kconfig_get(text, "ARM64", kc->lpa2, sizeof(kc->lpa2)) &&
	    !kconfig_get(text, "ARM64_LPA2", kc->lpa2, sizeof(kc->lpa2)))
		snprintf(kc->lpa2, sizeof(kc->lpa2), "n");
	if (strcmp(kc->lpa2, "y") && strcmp(kc->lpa2, "n"))
		set_unknown(kc->lpa2, sizeof(kc->lpa2));
}

/* All of a stream, NUL-terminated; NULL when empty or out of memory. */
static char *read_all(FILE *f)
{
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = 0;
	if (len == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* What a command prints; NULL if it fails or prints nothing. */
static char *slurp_cmd(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	char *buf;

	if (!f)
		return NULL;
	buf = read_all(f);
	if (pclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* A plain file, read directly: no shell, no quoting of the path. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;

	if (!f)
		return NULL;
	buf = read_all(f);
	fclose(f);
	return buf;
}

const char *gupb_read_kconfig(struct gupb_kconfig *kc)
{
	static char src[300];
	struct utsname u;
	char *text = NULL;

	uname(&u);
	if (access("/proc/config.gz", R_OK) == 0)
		text = slurp_cmd("gzip -dc /proc/config.gz 2>/dev/null");
	if (text) {
		snprintf(src, sizeof(src), "/proc/config.gz");
	} else {
		snprintf(src, sizeof(src), "/boot/config-%s", u.release);
		text = slurp(src);
		if (!text)
			snprintf(src, sizeof(src), "unknown");
	}
	gupb_parse_kconfig(text, kc);
	free(text);
	return src;
}

void gupb_sysfs_choice(const char *text, char *out, size_t len)
{
	const char *a = text ? strchr(text, '[') : NULL;
	const char *b = a ? strchr(a, ']') : NULL;

	if (!a || !b || (size_t)(b - a - 1) >= len) {
		snprintf(out, len, "unknown");
		return;
	}
	memcpy(out, a + 1, b - a - 1);
	out[b - a - 1] = 0;
}

static void ctx_file(const char *key, const char *path, int choice)
{
	char *t = slurp(path), v[128];

	if (!t) {
		gb_context(key, "unknown");
		return;
	}
	if (choice) {
		gupb_sysfs_choice(t, v, sizeof(v));
		gb_context(key, v);
	} else {
		t[strcspn(t, "\n")] = 0;
		gb_context(key, t);
	}
	free(t);
}

/* "Key:   value" line of a /proc file. */
static int proc_field(const char *text, const char *key, char *out,
		      size_t len)
{
	const char *p = text;
	size_t kl = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, kl) && (p[kl] == ':' || p[kl] == ' ' ||
					     p[kl] == '\t')) {
			const char *v = p + kl;
			size_t vl;

			while (*v == ' ' || *v == '\t' || *v == ':')
				v++;
			vl = strcspn(v, "\n");
			if (vl >= len)
				vl = len - 1;
			memcpy(out, v, vl);
			out[vl] = 0;
			return 1;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static void ctx_cpu(void)
{
	char *ci = slurp("/proc/cpuinfo"), v[256], impl[32], part[32];
	char *midr;

	if (ci && proc_field(ci, "model name", v, sizeof(v)))
		gb_context(GUPB_CTX_CPU_MODEL, v);
	else if (ci && proc_field(ci, "CPU implementer", impl, sizeof(impl)) &&
		 proc_field(ci, "CPU part", part, sizeof(part)))
		gb_contextf(GUPB_CTX_CPU_MODEL, "implementer %s part %s", impl, part);
	else
		gb_context(GUPB_CTX_CPU_MODEL, "unknown");
	if (ci && strstr(ci, " la57"))
		gb_context(GUPB_CTX_CPU_LA57, "1");
	free(ci);
	midr = slurp("/sys/devices/system/cpu/cpu0/regs/identification/midr_el1");
	if (midr) {
		midr[strcspn(midr, "\n")] = 0;
		gb_context(GUPB_CTX_CPU_MIDR, midr);
		free(midr);
	} else {
		gb_context(GUPB_CTX_CPU_MIDR, "n/a");
	}
}

/*
 * Which kernel package is running, and with which walk patch: the
 * packages `make kernel-deb` builds carry -gupb-<state>-<stock|NNNN> in
 * their release (a git tree's commit B: g<12 hex digits>, "B:<digits>"), so `make compare` can say "stock vs 0001" rather than
 * two release strings. --context kernel_patch=... (the test bed) wins.
 */
int gupb_release_build(const char *release, char *build, size_t blen,
		       char *patch, size_t plen)
{
	const char *g = strstr(release, "-gupb-"), *dash;

	if (!g || !(dash = strrchr(g + 6, '-')) || !dash[1])
		return 0;
	snprintf(build, blen, "%s", g + 6);
	if (!strcmp(dash + 1, "stock"))
		snprintf(patch, plen, "none");
	else if (dash[1] == 'g' && strlen(dash + 2) == 12 &&
		 strspn(dash + 2, "0123456789abcdef") == 12)
		snprintf(patch, plen, "B:%s", dash + 2);  /* a git commit */
	else
		snprintf(patch, plen, "%s", dash + 1);
	return 1;
}

static void kernel_package(const char *release)
{
	char cmd[512], pkg[256], build[128], patch[32], *out = NULL, *colon;

	/* "linux-image-X: /boot/vmlinuz-X"; a release is never quoted */
	if (!strpbrk(release, "'\"\\$`")) {
		snprintf(cmd, sizeof(cmd),
			 "dpkg-query -S /boot/vmlinuz-%s 2>/dev/null", release);
		out = slurp_cmd(cmd);
	}
	colon = out ? strchr(out, ':') : NULL;
	if (colon && !strchr(out, '\'')) {
		*colon = 0;
		snprintf(pkg, sizeof(pkg), "%s", out);
		free(out);
		snprintf(cmd, sizeof(cmd),
			 "dpkg-query -W -f '${Version}' '%s' 2>/dev/null", pkg);
		out = slurp_cmd(cmd);
		if (out)
			gb_contextf(GUPB_CTX_KERNEL_PACKAGE, "%s %s", pkg, out);
	}
	free(out);
	if (gupb_release_build(release, build, sizeof(build), patch,
			       sizeof(patch))) {
		gb_context(GUPB_CTX_KERNEL_BUILD, build);
		gb_context(GUPB_CTX_KERNEL_PATCH, patch);
	}
}

void gupb_loadavg(char *out, size_t len)
{
	char *t = slurp("/proc/loadavg");
	char a[16], b[16], c[16];

	if (!t)
		snprintf(out, len, "unknown: no /proc/loadavg");
	else if (sscanf(t, "%15s %15s %15s", a, b, c) == 3)
		snprintf(out, len, "%s %s %s", a, b, c);
	else
		snprintf(out, len, "unknown: /proc/loadavg unreadable");
	free(t);
}

/*
 * The host at the start of the run: load averages, online CPUs, the
 * cpufreq governor, the share of CPU time stolen by a hypervisor since
 * boot. A comparison warns when a side ran on a busy host; the load at
 * the end is written as the result is committed (core/output.c).
 */
static void ctx_host(void)
{
	unsigned long long v[8] = { 0 }, total = 0;
	char la[64], *t;
	int i;

	gupb_loadavg(la, sizeof(la));
	gb_context(GUPB_CTX_HOST_LOADAVG_START, la);
	gb_contextf(GUPB_CTX_HOST_NCPUS, "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	t = slurp("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	if (t) {
		t[strcspn(t, "\n")] = 0;
		gb_context(GUPB_CTX_HOST_CPUFREQ_GOVERNOR, t);
		free(t);
	} else {
		gb_context(GUPB_CTX_HOST_CPUFREQ_GOVERNOR,
			   "unknown: no cpufreq in sysfs");
	}
	t = slurp("/proc/stat");
	if (t && sscanf(t, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			&v[7]) == 8) {
		for (i = 0; i < 8; i++)
			total += v[i];
		gb_contextf(GUPB_CTX_HOST_STEAL_PCT, "%.1f",
			    total ? 100.0 * v[7] / total : 0.0);
	} else {
		gb_context(GUPB_CTX_HOST_STEAL_PCT,
			   "unknown: no steal field in /proc/stat");
	}
	free(t);
}

void gupb_meta_collect(const char *profile)
{
	struct gupb_kconfig kc;
	struct utsname u;
	const char *src;
	char *mi, v[64];

	uname(&u);
	gb_context(GUPB_CTX_SCHEMA, GUPB_SCHEMA_VERSION);
	gb_context(GUPB_CTX_VERSION, GUPB_VERSION);
	gb_context(GUPB_CTX_PROFILE, profile);
	gb_context(GUPB_CTX_KERNEL_RELEASE, u.release);
	gb_context(GUPB_CTX_KERNEL_VERSION, u.version);
	kernel_package(u.release);
	gb_context(GUPB_CTX_ARCH, u.machine);
	gb_contextf(GUPB_CTX_PAGE_SIZE, "%ld", sysconf(_SC_PAGESIZE));
	src = gupb_read_kconfig(&kc);
	gb_context(GUPB_CTX_CONFIG_SOURCE, src);
	gb_context(GUPB_CTX_CONFIG_PGTABLE_LEVELS, kc.pgtable_levels);
	gb_context(GUPB_CTX_CONFIG_PAGE_SHIFT, kc.page_shift);
	gb_context(GUPB_CTX_CONFIG_LPA2, kc.lpa2);
	if (!strcmp(kc.x86_5level, "y") || !strcmp(kc.x86_5level, "n")) {
		mi = slurp("/proc/cpuinfo");
		gb_context(GUPB_CTX_CONFIG_VA_BITS,
			   !strcmp(kc.x86_5level, "y") && mi &&
			   strstr(mi, " la57") ? "57" : "48");
		free(mi);
	} else {
		gb_context(GUPB_CTX_CONFIG_VA_BITS, kc.va_bits);
	}
	ctx_file(GUPB_CTX_THP_ENABLED, "/sys/kernel/mm/transparent_hugepage/enabled", 1);
	ctx_file(GUPB_CTX_THP_DEFRAG, "/sys/kernel/mm/transparent_hugepage/defrag", 1);
	mi = slurp("/proc/meminfo");
	gb_context(GUPB_CTX_HUGETLB_FREE_PAGES,
		   mi && proc_field(mi, "HugePages_Free", v, sizeof(v)) ?
		   v : "unknown");
	if (mi && proc_field(mi, "Hugepagesize", v, sizeof(v)))
		v[strcspn(v, " ")] = 0;
	else
		snprintf(v, sizeof(v), "unknown");
	gb_context(GUPB_CTX_HUGETLB_PAGE_SIZE_KB, v);
	free(mi);
	ctx_cpu();
	ctx_file(GUPB_CTX_CMDLINE, "/proc/cmdline", 0);
	gb_context(GUPB_CTX_HW_COUNTERS, gupb_pmu_status());
	gb_context(GUPB_CTX_EMULATED, "no");
	ctx_host();
}
