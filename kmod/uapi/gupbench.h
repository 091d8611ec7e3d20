/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * gupbench.h - ioctl ABI of /dev/gupbench (kmod/gupbench.ko).
 *
 * Only fixed-size fields. Every ioctl takes one struct that carries input
 * and output; reserved fields must be zero. Times are nanoseconds.
 */
#ifndef _UAPI_GUPBENCH_H
#define _UAPI_GUPBENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * 2: samples rows per selected variant (as documented in 1, not as 1 did),
 *    work caps (GUPB_MAX_WORK, GUPB_MAX_WALK_PAGES), CAP_SYS_ADMIN for
 *    RUN, clock_vs_ktime_ppm, clock_overhead_ns; layout unchanged.
 * 3: GUPB_OP_WALK_AB (batches of walks timed irqs off, PMU cycles where
 *    there are any), load counters, a watched neighbour entry and the
 *    reload check (contention), GUPB_IOC_ENTRIES; gupb_run grew.
 */
#define GUPB_ABI_VERSION	3

/* Walk variants of the top-level reload (see kmod/walk.c). */
#define GUPB_VARIANT_LIVE	0	/* 6.12: p4d_offset(pgdp, addr) */
#define GUPB_VARIANT_STACK	1	/* pgdp = &pgd if pgtable_l4_enabled() */
#define GUPB_VARIANT_GENERIC	2	/* p4d_offset(&pgd, addr) */
#define GUPB_NR_VARIANTS	3

struct gupb_info {
	__u32 abi_version;
	__u32 page_shift;
	__u32 pgtable_levels;		/* CONFIG_PGTABLE_LEVELS */
	__u32 va_bits;			/* vabits_actual / 48 or 57 */
	__u32 levels_runtime;		/* levels the walk descends */
	__u32 l4_enabled;		/* pgtable_l4_enabled() */
	__u32 l5_enabled;		/* pgtable_l5_enabled() / LA57 */
	__u32 lpa2;			/* CONFIG_ARM64_LPA2 */
	__u32 variants_valid;		/* bit per variant safe to run here */
	__u32 variants_differ;		/* 1: live/stack/generic are not all one */
	__u32 folded_helper;		/* p4d_offset_lockless_folded() in use */
	__u32 gup_fast_only;		/* get_user_pages_fast_only() available */
	__u64 clock_hz;			/* per-call clock frequency */
	__u64 clock_res_ns;		/* its resolution */
	char release[65];
	char arch[15];
	char clock[16];			/* "cntvct", "tsc" or "ktime" */
	__u64 clock_overhead_ns;	/* an empty timed call (in every per-call time) */
	__u64 reserved[3];
};

#define GUPB_OP_GUP_FAST	0	/* get_user_pages_fast() */
#define GUPB_OP_PIN_FAST	1	/* pin_user_pages_fast() */
#define GUPB_OP_PIN_LONGTERM	2	/* ... with FOLL_LONGTERM */
#define GUPB_OP_GUP_FAST_ONLY	3	/* get_user_pages_fast_only() */
#define GUPB_OP_WALK		4	/* the walk variants in variant_mask */
/*
 * The walk variants as an A/B: every round runs, with irqs off for the
 * whole round, one batch of `batch` walks per selected variant (order
 * rotated per round), each batch timed by `clock`. Samples are clock
 * units per batch, stats[v].total_ns and ns_* too (not ns).
 */
#define GUPB_OP_WALK_AB		5
#define GUPB_NR_OPS		6

#define GUPB_F_WRITE		0x1U	/* FOLL_WRITE */

#define GUPB_HIST_BUCKETS	32	/* bucket i: [2^i, 2^(i+1)) ns */

/* Perf counters counted in the kernel around the calls (exclude_user). */
#define GUPB_PMU_CYCLES		0
#define GUPB_PMU_INSTRUCTIONS	1
#define GUPB_PMU_L1D_MISSES	2
#define GUPB_PMU_DTLB_MISSES	3
/*
 * Loads, arm64 only: LD_RETIRED (common event 0x06, optional) and
 * MEM_ACCESS_RD (0x66, IMPLEMENTATION DEFINED). A PMU accepts raw events
 * it does not count (QEMU TCG does): a zero is "not counted here".
 */
#define GUPB_PMU_LD_RETIRED	4
#define GUPB_PMU_MEM_ACCESS_RD	5
#define GUPB_NR_PMU		6

struct gupb_stats {
	__u64 calls;
	__u64 pages;			/* pages pinned / found */
	__u64 short_returns;		/* fewer pages than asked */
	__u64 total_ns;			/* sum of per-call times */
	__u64 ktime_ns;			/* the same region by ktime, cross-check */
	/*
	 * Over this ioctl's calls only, from its samples: a caller that
	 * batches must compute percentiles over all its samples, not average
	 * these (see results/README.md).
	 */
	__u64 ns_min, ns_p50, ns_p90, ns_p99, ns_max;
	__u64 hist[GUPB_HIST_BUCKETS];
	__u64 pmu[GUPB_NR_PMU];		/* totals, valid if pmu_valid bit set */
	__u32 pmu_valid;
	/*
	 * The per-call clock against ktime, both read at the same two points
	 * (around the timed loop), in parts per million: 1000000 = agree.
	 */
	__u32 clock_vs_ktime_ppm;
};

#define GUPB_MAX_LEN		0x40000000ULL	/* 1 GiB */
#define GUPB_MAX_PAGES_PER_CALL	512
#define GUPB_MAX_ITERATIONS	0x100000U
/* A WALK keeps irqs off for its whole range, so the range is bounded. */
#define GUPB_MAX_WALK_PAGES	GUPB_MAX_PAGES_PER_CALL
/* iterations x pages per call (WALK: x selected variants): -EINVAL above. */
#define GUPB_MAX_WORK		0x1000000U
/*
 * WALK_AB: walks per batch; one round (batch x pages x selected variants)
 * keeps irqs off, so it is bounded by GUPB_MAX_WALK_PAGES as one WALK is.
 */
#define GUPB_MAX_BATCH		64

/* What timed the batches of a WALK_AB. */
#define GUPB_CLOCK_COUNTER	0	/* the per-call clock of INFO (clock_hz) */
#define GUPB_CLOCK_PMU_CYCLES	1	/* kernel-mode CPU cycles (perf) */

/* A neighbour entry to watch during the run (contention). */
#define GUPB_WATCH_NONE		0
#define GUPB_WATCH_PMD		1	/* the pmd entry of watch_addr */
#define GUPB_WATCH_TOP		2	/* its entry in the top-level table */

struct gupb_run {
	/* in */
	__u64 addr;
	__u64 len;
	__u32 op;
	__u32 flags;
	__u32 nr_pages;			/* per call (not for WALK: whole range) */
	__u32 iterations;		/* calls (WALK: rounds of all variants) */
	__u32 variant_mask;		/* WALK: bit per GUPB_VARIANT_* */
	__u32 samples_cap;		/* entries at samples (per variant) */
	/*
	 * user __u64[nvariants][samples_cap] or 0, nvariants =
	 * popcount(variant_mask) for WALK (1 otherwise): one row per selected
	 * variant, in increasing variant number; per-call ns in call order.
	 */
	__u64 samples;
	__u32 batch;			/* WALK_AB: walks per batch, else 0 */
	__u32 watch_level;		/* GUPB_WATCH_* */
	__u64 watch_addr;		/* user page whose entry is watched */
	__u64 reserved_in[2];
	/* out: stats[0] for GUP ops, stats[v] per variant for WALK */
	struct gupb_stats stats[GUPB_NR_VARIANTS];
	__u32 samples_written;		/* per variant */
	/* Ended early by a fatal signal: the ioctl fails, -EINTR. */
	__u32 interrupted;
	__u32 clock;			/* WALK_AB: GUPB_CLOCK_* */
	__u32 rounds_dropped;		/* WALK_AB: PMU clock off the CPU */
	/*
	 * Watch (kernel addresses, for root only): the walked entry at the
	 * watched level (the pmd entry of addr, or the top-level entry the
	 * walk reads and re-reads), the watched one, and how many times the
	 * watched entry's value changed between two reads, one per round.
	 */
	__u64 entry_walked;
	__u64 entry_watched;
	__u64 watch_reads;
	__u64 watch_changes;
	/*
	 * WALK ops with a watch, where the folded helper is used: an untimed
	 * pass of the live walk that compares the top-level entry re-read by
	 * the next level with the first read of it.
	 */
	__u64 reload_checks;
	__u64 reload_mismatch;
	__u64 reserved_out[2];
};

/* Where the entries of one user address are (kernel addresses). */
struct gupb_entries {
	__u64 addr;			/* in: user address */
	__u64 top_read;			/* pgd_offset(): read, then re-read */
	__u64 top_own;			/* the top-level table entry over addr */
	__u64 pmd;			/* its pmd entry; 0: no pmd table there */
	__u32 levels_runtime;
	__u32 reserved32;
	__u64 reserved[3];
};

#define GUPB_IOC_MAGIC	0xb7
#define GUPB_IOC_INFO	_IOR(GUPB_IOC_MAGIC, 0, struct gupb_info)
#define GUPB_IOC_RUN	_IOWR(GUPB_IOC_MAGIC, 1, struct gupb_run)
#define GUPB_IOC_ENTRIES _IOWR(GUPB_IOC_MAGIC, 2, struct gupb_entries)

#endif /* _UAPI_GUPBENCH_H */
