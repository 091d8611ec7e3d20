// SPDX-License-Identifier: GPL-2.0
/* pmu.c - perf_event_open() counters around each benchmark's timed loop. */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/pmu.h"
#include "base/schema.h"

#define HWC(c, op, res) \
	((PERF_COUNT_HW_CACHE_##c) | (PERF_COUNT_HW_CACHE_OP_##op << 8) | \
	 (PERF_COUNT_HW_CACHE_RESULT_##res << 16))

/* arm64 PMUv3 common events, used when the generic mapping is missing. */
#define ARMV8_L1D_CACHE_REFILL	0x03
#define ARMV8_L1D_TLB_REFILL	0x05
#define ARMV8_BR_MIS_PRED	0x10

struct ev_desc {
	const char *base;	/* counter name without the _u/_k suffix */
	__u32 type;
	__u64 config;
	__u64 raw_arm64;	/* fallback raw event, 0 = none */
	int hw;
};

static const struct ev_desc events[] = {
	{ GUPB_CTR_PMU_CYCLES, PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_CPU_CYCLES, 0x11, 1 },
	{ GUPB_CTR_PMU_INSTRUCTIONS, PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_INSTRUCTIONS, 0x08, 1 },
	{ GUPB_CTR_PMU_L1D_MISSES, PERF_TYPE_HW_CACHE, HWC(L1D, READ, MISS),
	  ARMV8_L1D_CACHE_REFILL, 1 },
	{ GUPB_CTR_PMU_DTLB_MISSES, PERF_TYPE_HW_CACHE, HWC(DTLB, READ, MISS),
	  ARMV8_L1D_TLB_REFILL, 1 },
	{ GUPB_CTR_PMU_BRANCH_MISSES, PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_BRANCH_MISSES, ARMV8_BR_MIS_PRED, 1 },
	{ GUPB_CTR_SW_TASK_CLOCK_NS, PERF_TYPE_SOFTWARE,
	  PERF_COUNT_SW_TASK_CLOCK, 0, 0 },
	{ GUPB_CTR_SW_PAGE_FAULTS, PERF_TYPE_SOFTWARE,
	  PERF_COUNT_SW_PAGE_FAULTS, 0, 0 },
	{ GUPB_CTR_SW_CONTEXT_SWITCHES, PERF_TYPE_SOFTWARE,
	  PERF_COUNT_SW_CONTEXT_SWITCHES, 0, 0 },
};
#define NR_EVENTS (sizeof(events) / sizeof(events[0]))

/* One slot per (event, privilege): what the probe found usable. */
struct slot {
	char name[40];
	struct perf_event_attr attr;
};
static struct slot slots[GUPB_PMU_MAX_EVENTS];
static int nr_slots = -1;
static char status[256];

static int open_attr(struct perf_event_attr *a)
{
	return (int)syscall(SYS_perf_event_open, a, 0, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static void init_attr(struct perf_event_attr *a, __u32 type, __u64 config,
		      int kernel)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = type;
	a->config = config;
	a->disabled = 1;
	a->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			 PERF_FORMAT_TOTAL_TIME_RUNNING;
	a->exclude_hv = 1;
	/* Hardware events are split by privilege; software ones are not
	 * (a context switch or a fault is counted in the kernel).
	 */
	if (type == PERF_TYPE_HARDWARE || type == PERF_TYPE_HW_CACHE ||
	    type == PERF_TYPE_RAW) {
		a->exclude_user = kernel;
		a->exclude_kernel = !kernel;
	}
}

/* Try the generic event, then the arm64 raw fallback. */
static int probe_one(const struct ev_desc *e, int kernel,
		     struct perf_event_attr *a, int *err)
{
	int fd;

	init_attr(a, e->type, e->config, kernel);
	fd = open_attr(a);
#ifdef __aarch64__
	if (fd < 0 && e->raw_arm64) {
		init_attr(a, PERF_TYPE_RAW, e->raw_arm64, kernel);
		fd = open_attr(a);
	}
#endif
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Some PMUs (QEMU TCG's among them) accept events they never count. Run
 * a little user and kernel work with every candidate open and drop those
 * that stay at zero: an unmeasured counter must be absent, not 0.
 */
static void calibration_work(void)
{
	static char buf[8 << 20];
	volatile unsigned long sink = 0;
	size_t i;
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);

	for (i = 0; i < sizeof(buf); i += 64)	/* user: misses, TLB */
		sink += (unsigned char)buf[(i * 2654435761UL) % sizeof(buf)] +
			(i & 1 ? 1 : (sink & 3));
	for (i = 0; fd >= 0 && i < 4; i++)	/* kernel: copies 8 MiB */
		if (read(fd, buf, sizeof(buf)) < 0)
			break;
	if (fd >= 0)
		close(fd);
	(void)sink;
}

static int counts_something(struct slot *sl, int n, int *fds)
{
	int i, kept = 0;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			ioctl(fds[i], PERF_EVENT_IOC_ENABLE, 0);
	calibration_work();
	for (i = 0; i < n; i++) {
		__u64 v[3] = { 0, 0, 0 };

		if (fds[i] < 0)
			continue;
		ioctl(fds[i], PERF_EVENT_IOC_DISABLE, 0);
		/* Software events are exact: a zero of theirs is measured. */
		if ((read(fds[i], v, sizeof(v)) == sizeof(v) && v[0] > 0) ||
		    strncmp(sl[i].name, "pmu_", 4))
			sl[kept++] = sl[i];
		close(fds[i]);
	}
	return kept;
}

/*
 * Keep only the slots whose events count something here (the others are
 * said in missing); the number of hardware ones kept.
 */
static int keep_counting(char *missing, size_t len)
{
	int fds[GUPB_PMU_MAX_EVENTS], j, kept, hw = 0;

	for (j = 0; j < nr_slots; j++)
		fds[j] = open_attr(&slots[j].attr);
	kept = counts_something(slots, nr_slots, fds);
	if (kept < nr_slots)
		snprintf(missing + strlen(missing), len - strlen(missing),
			 "%s%d event(s) count nothing here",
			 *missing ? "; " : "", nr_slots - kept);
	nr_slots = kept;
	for (j = 0; j < kept; j++)
		hw += !strncmp(slots[j].name, "pmu_", 4);
	return hw;
}

int gupb_pmu_probe(void)
{
	char missing[160] = "";
	int hw_ok = 0, hw_tried = 0, first_err = 0;
	size_t i;

	if (nr_slots >= 0)
		return nr_slots;
	nr_slots = 0;
	for (i = 0; i < NR_EVENTS; i++) {
		const struct ev_desc *e = &events[i];
		int kernel, nr_priv = e->hw ? 2 : 1;

		for (kernel = 0; kernel < nr_priv; kernel++) {
			struct slot *s = &slots[nr_slots];
			int err = 0;

			hw_tried += e->hw;
			if (probe_one(e, kernel, &s->attr, &err) < 0) {
				if (e->hw && !first_err)
					first_err = err;
				if (e->hw && strlen(missing) < 100)
					snprintf(missing + strlen(missing),
						 sizeof(missing) - strlen(missing),
						 "%s%s_%c", *missing ? "," : "",
						 e->base + 4, kernel ? 'k' : 'u');
				continue;
			}
			if (e->hw) {
				snprintf(s->name, sizeof(s->name), "%s_%c",
					 e->base, kernel ? 'k' : 'u');
			} else {
				snprintf(s->name, sizeof(s->name), "%s",
					 e->base);
			}
			nr_slots++;
		}
	}
	hw_ok = keep_counting(missing, sizeof(missing));
	if (hw_ok == 0 && first_err)
		snprintf(status, sizeof(status),
			 "unavailable: perf_event_open of hardware events failed: %s",
			 strerror(first_err));
	else if (hw_ok == 0)
		snprintf(status, sizeof(status), "unavailable: %s", missing);
	else if (hw_ok < hw_tried)
		snprintf(status, sizeof(status), "partial: missing %s", missing);
	else
		snprintf(status, sizeof(status), "available");
	return nr_slots;
}

const char *gupb_pmu_status(void)
{
	gupb_pmu_probe();
	return status;
}

int gupb_pmu_open(struct gupb_pmu *p)
{
	int i;

	p->nr = 0;
	if (gupb_pmu_probe() <= 0)
		return -1;
	for (i = 0; i < nr_slots; i++) {
		int fd = open_attr(&slots[i].attr);

		if (fd < 0)
			continue;
		p->fd[p->nr] = fd;
		p->name[p->nr] = slots[i].name;
		p->nr++;
	}
	return p->nr ? 0 : -1;
}

void gupb_pmu_enable(struct gupb_pmu *p)
{
	for (int i = 0; i < p->nr; i++)
		ioctl(p->fd[i], PERF_EVENT_IOC_ENABLE, 0);
}

void gupb_pmu_disable(struct gupb_pmu *p)
{
	for (int i = p->nr - 1; i >= 0; i--)
		ioctl(p->fd[i], PERF_EVENT_IOC_DISABLE, 0);
}

int gupb_pmu_read(struct gupb_pmu *p, struct gupb_pmu_value *v, int max)
{
	int n = 0;

	for (int i = 0; i < p->nr && n < max; i++) {
		__u64 buf[3];	/* value, time_enabled, time_running */

		if (read(p->fd[i], buf, sizeof(buf)) != sizeof(buf))
			continue;
		/* Never ran (over-committed PMU): unmeasured, so absent. */
		if (buf[2] == 0)
			continue;
		v[n].name = p->name[i];
		v[n].value = buf[2] < buf[1] ?
			(double)buf[0] * (double)buf[1] / (double)buf[2] :
			(double)buf[0];
		n++;
	}
	return n;
}

void gupb_pmu_close(struct gupb_pmu *p)
{
	for (int i = 0; i < p->nr; i++)
		close(p->fd[i]);
	p->nr = 0;
}
