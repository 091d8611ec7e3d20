// SPDX-License-Identifier: GPL-2.0
/*
 * The GUP-fast page-table descent, three ways.
 *
 * A re-implementation of the loads and leaf checks gup_fast_pgd_range()
 * and friends perform in 6.12, without taking references: the same
 * READ_ONCE of each level's entry, the same *_offset_lockless() helpers,
 * interrupts off like GUP-fast (which is what keeps the page tables from
 * being freed under us). The variants differ only in which pgd pointer
 * is handed to p4d_offset():
 *
 *   live:    the live table entry (what 6.12's folded helper does), so
 *            the next level loads the top-level entry again;
 *   stack:   the on-stack copy when the pud level is not folded at run
 *            time (pgtable_l4_enabled()), the live entry otherwise;
 *   generic: always the on-stack copy, like the generic
 *            p4d_offset_lockless(); unsafe where the next level is folded
 *            at run time, because the folded helper offsets the pointer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include "gupb.h"

#ifdef CONFIG_ARM64
#define gupb_l4_enabled()	pgtable_l4_enabled()
#else
#define gupb_l4_enabled()	true
#endif

#if CONFIG_PGTABLE_LEVELS > 4
#define gupb_l5_enabled()	pgtable_l5_enabled()
#else
#define gupb_l5_enabled()	false
#endif

/* The pointer the next level gets, by variant. */
static pgd_t *gupb_pgd_for_p4d(pgd_t *pgdp, pgd_t *pgd, int variant)
{
	switch (variant) {
	case GUPB_VARIANT_STACK:
		return gupb_l4_enabled() ? pgd : pgdp;
	case GUPB_VARIANT_GENERIC:
		return pgd;
	default:
		return pgdp;
	}
}

/*
 * Handing &pgd on is unsafe when p4d_offset() folds a level at run time
 * by offsetting the pointer it is given: the LPA2 fallbacks.
 */
u32 gupb_variants_valid(void)
{
	u32 valid = BIT(GUPB_VARIANT_LIVE);
	bool runtime_folded = false;

#if defined(CONFIG_ARM64) && CONFIG_PGTABLE_LEVELS > 4
	if (!pgtable_l5_enabled())
		runtime_folded = true;
#elif defined(CONFIG_ARM64)
	if (CONFIG_PGTABLE_LEVELS == 4 && !pgtable_l4_enabled())
		runtime_folded = true;
#endif
	/* stack hands &pgd on only when l4 is on */
	if (!runtime_folded || !gupb_l4_enabled())
		valid |= BIT(GUPB_VARIANT_STACK);
	if (!runtime_folded)
		valid |= BIT(GUPB_VARIANT_GENERIC);
	return valid;
}

/* On arm64 with <= 4 levels the three are not all the same code path. */
bool gupb_variants_differ(void)
{
	return IS_ENABLED(CONFIG_ARM64) && CONFIG_PGTABLE_LEVELS <= 4;
}

u32 gupb_levels_runtime(void)
{
	u32 levels = CONFIG_PGTABLE_LEVELS;

	if (CONFIG_PGTABLE_LEVELS > 4 && !gupb_l5_enabled())
		levels--;
	else if (CONFIG_PGTABLE_LEVELS == 4 && !gupb_l4_enabled())
		levels--;
	return levels;
}

static long gupb_walk_pte(pmd_t pmd, unsigned long addr, unsigned long end)
{
	/* No highmem on 64-bit: the kernel mapping of the table is enough. */
	pte_t *ptep = pte_offset_kernel(&pmd, addr);
	long nr = 0;

	do {
		pte_t pte = ptep_get_lockless(ptep);

		if (!pte_present(pte))
			return -EFAULT;
		nr++;
	} while (ptep++, addr += PAGE_SIZE, addr != end);
	return nr;
}

static long gupb_walk_pmd(pud_t *pudp, pud_t pud, unsigned long addr,
			  unsigned long end)
{
	pmd_t *pmdp = pmd_offset_lockless(pudp, pud, addr);
	unsigned long next;
	long nr = 0, ret;

	do {
		pmd_t pmd = pmdp_get_lockless(pmdp);

		next = pmd_addr_end(addr, end);
		if (!pmd_present(pmd))
			return -EFAULT;
		if (pmd_leaf(pmd))
			ret = (next - addr) >> PAGE_SHIFT;
		else
			ret = gupb_walk_pte(pmd, addr, next);
		if (ret < 0)
			return ret;
		nr += ret;
	} while (pmdp++, addr = next, addr != end);
	return nr;
}

static long gupb_walk_pud(p4d_t *p4dp, p4d_t p4d, unsigned long addr,
			  unsigned long end)
{
	pud_t *pudp = pud_offset_lockless(p4dp, p4d, addr);
	unsigned long next;
	long nr = 0, ret;

	do {
		pud_t pud = READ_ONCE(*pudp);

		next = pud_addr_end(addr, end);
		if (pud_none(pud))
			return -EFAULT;
		if (pud_leaf(pud))
			ret = (next - addr) >> PAGE_SHIFT;
		else
			ret = gupb_walk_pmd(pudp, pud, addr, next);
		if (ret < 0)
			return ret;
		nr += ret;
	} while (pudp++, addr = next, addr != end);
	return nr;
}

static long gupb_walk_p4d(pgd_t *pgdp, pgd_t pgd, unsigned long addr,
			  unsigned long end, int variant)
{
	p4d_t *p4dp = p4d_offset(gupb_pgd_for_p4d(pgdp, &pgd, variant), addr);
	unsigned long next;
	long nr = 0, ret;

	do {
		p4d_t p4d = READ_ONCE(*p4dp);

		next = p4d_addr_end(addr, end);
		if (p4d_none(p4d))
			return -EFAULT;
		ret = gupb_walk_pud(p4dp, p4d, addr, next);
		if (ret < 0)
			return ret;
		nr += ret;
	} while (p4dp++, addr = next, addr != end);
	return nr;
}

long gupb_walk(struct mm_struct *mm, unsigned long start, unsigned long end,
	       int variant)
{
	unsigned long addr = start, next, flags;
	pgd_t *pgdp;
	long nr = 0, ret = 0;

	local_irq_save(flags);
	pgdp = pgd_offset(mm, addr);
	do {
		pgd_t pgd = READ_ONCE(*pgdp);

		next = pgd_addr_end(addr, end);
		if (pgd_none(pgd)) {
			ret = -EFAULT;
			break;
		}
		ret = gupb_walk_p4d(pgdp, pgd, addr, next, variant);
		if (ret < 0)
			break;
		nr += ret;
	} while (pgdp++, addr = next, addr != end);
	local_irq_restore(flags);
	return ret < 0 ? ret : nr;
}
