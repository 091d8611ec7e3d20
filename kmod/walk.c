// SPDX-License-Identifier: GPL-2.0
/*
 * The GUP-fast page-table descent of 6.12 to 7.3, in the kernel's own code
 * paths.
 *
 * gupb_walk_tmpl() repeats, level by level, the loads and the checks of
 * gup_fast_pgd_range() .. gup_fast_pte_range() in mm/gup.c: the same
 * *p_get() of every entry, the same *_offset_lockless() helpers, the same
 * tests in the same order (!pud_present(), pmd_protnone(), the leaf
 * *_access_permitted() and *_special() checks, the re-read of the entry
 * after the grab), with interrupts off like gup_fast(), which is what keeps
 * the tables from being freed under us. Where mm/gup.c grabs a folio the
 * walk only counts the pages; where GUP-fast gives up (returns 0 and falls
 * back to the slow path), the walk returns -EFAULT, or -EAGAIN when an
 * entry changed under it.
 *
 * The template is __always_inline and takes the variant as a compile-time
 * constant; each variant is one noinline instance, so each compiles to the
 * code the corresponding kernel would have:
 *
 *   live:    p4d_offset_lockless_folded(pgdp, pgd, addr), stock 6.12 arm64
 *            with CONFIG_PGTABLE_LEVELS <= 4: the next level loads the
 *            top-level entry again from the live table;
 *   stack:   p4d_offset_lockless_folded(pgtable_l4_enabled() ? &pgd : pgdp,
 *            pgd, addr), configs/patches/0001;
 *   generic: p4d_offset(&pgd, addr), include/linux/pgtable.h; unsafe where
 *            the pud level is folded at run time (LPA2 without FEAT_LPA2),
 *            because p4d_to_folded_pud() then offsets the stack pointer.
 *
 * Elsewhere (arm64 with 5 levels, x86) the kernel never uses the folded
 * helper: there is one walk, the kernel's p4d_offset_lockless(), and it is
 * registered as "live" alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hugetlb.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include "gupb.h"

/*
 * pte_devmap() went away with CONFIG_ARCH_HAS_PTE_DEVMAP (7.2 and 7.3 have
 * neither; their mm/gup.c tests pte_special() alone). Without the symbol
 * the generic pte_devmap() was 0 anyway, so this is exact on every base.
 */
static __always_inline bool gupb_pte_devmap(pte_t pte)
{
#ifdef CONFIG_ARCH_HAS_PTE_DEVMAP
	return pte_devmap(pte);
#else
	return false;
#endif
}

#if defined(CONFIG_ARM64) && CONFIG_PGTABLE_LEVELS <= 4
#define GUPB_FOLDED_HELPER	1
#else
#define GUPB_FOLDED_HELPER	0
#endif

#if CONFIG_PGTABLE_LEVELS > 4
#define gupb_l5_enabled()	pgtable_l5_enabled()
#else
#define gupb_l5_enabled()	false
#endif

#ifdef CONFIG_ARM64
#define gupb_l4_enabled()	pgtable_l4_enabled()
#else
#define gupb_l4_enabled()	true
#endif

/*
 * Walks are bounded (GUPB_MAX_WALK_PAGES) and run with flags 0: the read
 * checks of GUP-fast without FOLL_WRITE.
 */
#define GUPB_WALK_WRITE		false

static __always_inline long gupb_walk_pte(pmd_t pmd, pmd_t *pmdp,
					  unsigned long addr, unsigned long end)
{
	/*
	 * mm/gup.c: pte_offset_map(&pmd, addr), which is not exported; with
	 * no highmem on 64-bit it is pte_offset_kernel() of the same value.
	 */
	pte_t *ptep = pte_offset_kernel(&pmd, addr);
	long nr = 0;

	do {
		pte_t pte = ptep_get_lockless(ptep);

		if (pte_protnone(pte))
			return -EFAULT;
		if (!pte_access_permitted(pte, GUPB_WALK_WRITE))
			return -EFAULT;
		if (!gupb_pte_devmap(pte) && pte_special(pte))
			return -EFAULT;
		/* mm/gup.c re-reads both entries after the grab. */
		if (unlikely(pmd_val(pmd) != pmd_val(*pmdp)) ||
		    unlikely(pte_val(pte) != pte_val(ptep_get(ptep))))
			return -EAGAIN;
		nr++;
	} while (ptep++, addr += PAGE_SIZE, addr != end);
	return nr;
}

static __always_inline long gupb_walk_pmd_leaf(pmd_t orig, pmd_t *pmdp,
					       unsigned long addr,
					       unsigned long end)
{
	if (!pmd_access_permitted(orig, GUPB_WALK_WRITE))
		return -EFAULT;
	if (pmd_special(orig))
		return -EFAULT;
	if (unlikely(pmd_val(orig) != pmd_val(*pmdp)))
		return -EAGAIN;
	return (end - addr) >> PAGE_SHIFT;
}

/*
 * The parameter is "pud", not mm/gup.c's "orig": arm64's pud_special(pte)
 * macro (CONFIG_ARCH_SUPPORTS_PUD_PFNMAP) expands to the name "pud".
 */
static __always_inline long gupb_walk_pud_leaf(pud_t pud, pud_t *pudp,
					       unsigned long addr,
					       unsigned long end)
{
	if (!pud_access_permitted(pud, GUPB_WALK_WRITE))
		return -EFAULT;
	if (pud_special(pud))
		return -EFAULT;
	if (unlikely(pud_val(pud) != pud_val(*pudp)))
		return -EAGAIN;
	return (end - addr) >> PAGE_SHIFT;
}

static __always_inline long gupb_walk_pgd_leaf(pgd_t orig, pgd_t *pgdp,
					       unsigned long addr,
					       unsigned long end)
{
	if (!pgd_access_permitted(orig, GUPB_WALK_WRITE))
		return -EFAULT;
	if (unlikely(pgd_val(orig) != pgd_val(*pgdp)))
		return -EAGAIN;
	return (end - addr) >> PAGE_SHIFT;
}

static __always_inline long gupb_walk_pmd(pud_t *pudp, pud_t pud,
					  unsigned long addr, unsigned long end)
{
	pmd_t *pmdp = pmd_offset_lockless(pudp, pud, addr);
	unsigned long next;
	long nr = 0, ret;

	do {
		pmd_t pmd = pmdp_get_lockless(pmdp);

		next = pmd_addr_end(addr, end);
		if (!pmd_present(pmd))
			return -EFAULT;
		if (unlikely(pmd_leaf(pmd))) {
			if (pmd_protnone(pmd))
				return -EFAULT;
			ret = gupb_walk_pmd_leaf(pmd, pmdp, addr, next);
		} else {
			ret = gupb_walk_pte(pmd, pmdp, addr, next);
		}
		if (ret < 0)
			return ret;
		nr += ret;
	} while (pmdp++, addr = next, addr != end);
	return nr;
}

static __always_inline long gupb_walk_pud(p4d_t *p4dp, p4d_t p4d,
					  unsigned long addr, unsigned long end)
{
	pud_t *pudp = pud_offset_lockless(p4dp, p4d, addr);
	unsigned long next;
	long nr = 0, ret;

	do {
		pud_t pud = pudp_get(pudp);

		next = pud_addr_end(addr, end);
		/* Not pud_none(): a migration or hwpoison entry is not none. */
		if (unlikely(!pud_present(pud)))
			return -EFAULT;
		if (unlikely(pud_leaf(pud)))
			ret = gupb_walk_pud_leaf(pud, pudp, addr, next);
		else
			ret = gupb_walk_pmd(pudp, pud, addr, next);
		if (ret < 0)
			return ret;
		nr += ret;
	} while (pudp++, addr = next, addr != end);
	return nr;
}

/* The only place the variants differ: what the next level is handed. */
static __always_inline p4d_t *gupb_p4d_offset(pgd_t *pgdp, pgd_t *pgd,
					      unsigned long addr,
					      const int variant)
{
#if GUPB_FOLDED_HELPER
	switch (variant) {
	case GUPB_VARIANT_STACK:
		return p4d_offset_lockless_folded(pgtable_l4_enabled() ? pgd :
						  pgdp, *pgd, addr);
	case GUPB_VARIANT_GENERIC:
		return p4d_offset(pgd, addr);
	default:
		return p4d_offset_lockless_folded(pgdp, *pgd, addr);
	}
#else
	return p4d_offset_lockless(pgdp, *pgd, addr);
#endif
}

static __always_inline long gupb_walk_p4d(pgd_t *pgdp, pgd_t *pgd,
					  unsigned long addr, unsigned long end,
					  const int variant, u64 *rc)
{
	p4d_t *p4dp = gupb_p4d_offset(pgdp, pgd, addr, variant);
	unsigned long next;
	long nr = 0, ret;

	do {
		p4d_t p4d = p4dp_get(p4dp);

		/*
		 * The reload check (rc is a constant NULL in the timed
		 * instances, so they compile without it): with the folded
		 * helper the live walk loads the top-level entry again here;
		 * count how often that differs from the first read.
		 */
		if (GUPB_FOLDED_HELPER && rc) {
			rc[0]++;
			if (p4d_val(p4d) != pgd_val(*pgd))
				rc[1]++;
		}
		next = p4d_addr_end(addr, end);
		if (!p4d_present(p4d))
			return -EFAULT;
		BUILD_BUG_ON(p4d_leaf(p4d));
		ret = gupb_walk_pud(p4dp, p4d, addr, next);
		if (ret < 0)
			return ret;
		nr += ret;
	} while (p4dp++, addr = next, addr != end);
	return nr;
}

static __always_inline long gupb_walk_tmpl(struct mm_struct *mm,
					   unsigned long start,
					   unsigned long end, const int variant,
					   u64 *rc)
{
	unsigned long addr = start, next, flags;
	pgd_t *pgdp;
	long nr = 0, ret = 0;

	local_irq_save(flags);
	pgdp = pgd_offset(mm, addr);
	do {
		/* The copy that "stack" and "generic" hand on by address. */
		pgd_t pgd = pgdp_get(pgdp);

		next = pgd_addr_end(addr, end);
		if (pgd_none(pgd)) {
			ret = -EFAULT;
			break;
		}
		if (unlikely(pgd_leaf(pgd)))
			ret = gupb_walk_pgd_leaf(pgd, pgdp, addr, next);
		else
			ret = gupb_walk_p4d(pgdp, &pgd, addr, next, variant,
					    rc);
		if (ret < 0)
			break;
		nr += ret;
	} while (pgdp++, addr = next, addr != end);
	local_irq_restore(flags);
	return ret < 0 ? ret : nr;
}

/* One instance per variant, each a function of its own to disassemble. */
static noinline long gupb_walk_live(struct mm_struct *mm,
				    unsigned long start, unsigned long end)
{
	return gupb_walk_tmpl(mm, start, end, GUPB_VARIANT_LIVE, NULL);
}

#if GUPB_FOLDED_HELPER
static noinline long gupb_walk_stack(struct mm_struct *mm,
				     unsigned long start, unsigned long end)
{
	return gupb_walk_tmpl(mm, start, end, GUPB_VARIANT_STACK, NULL);
}

static noinline long gupb_walk_generic(struct mm_struct *mm,
				       unsigned long start, unsigned long end)
{
	return gupb_walk_tmpl(mm, start, end, GUPB_VARIANT_GENERIC, NULL);
}
#endif

/* The live walk with the reload check: untimed, never disassembled. */
static noinline long gupb_walk_live_rc(struct mm_struct *mm,
				       unsigned long start, unsigned long end,
				       u64 *rc)
{
	return gupb_walk_tmpl(mm, start, end, GUPB_VARIANT_LIVE, rc);
}

long gupb_walk_reload_check(struct mm_struct *mm, unsigned long start,
			    unsigned long end, u64 *checks, u64 *mismatch)
{
	unsigned long len = end - start;
	u64 rc[2] = { 0, 0 };
	long ret;

	start = untagged_addr(start);
	ret = gupb_walk_live_rc(mm, start, start + len, rc);
	*checks += rc[0];
	*mismatch += rc[1];
	return ret;
}

/*
 * The top-level table entry over addr: the one the kernel writes when it
 * allocates or frees the tables below it. Where a level is folded at run
 * time, pgd_offset() is entry 0 of the table for every user address (the
 * entry the walk reads and re-reads), and the entry over addr is found by
 * the kernel's own folding helper.
 */
static void *gupb_top_own(pgd_t *pgdp, unsigned long addr)
{
#if defined(CONFIG_ARM64) && CONFIG_PGTABLE_LEVELS == 4
	if (!pgtable_l4_enabled())
		return p4d_to_folded_pud((p4d_t *)pgdp, addr);
#elif defined(CONFIG_ARM64) && CONFIG_PGTABLE_LEVELS == 5
	if (!pgtable_l5_enabled())
		return pgd_to_folded_p4d(pgdp, addr);
#endif
	return pgdp;
}

/* The pmd entry of addr by a lockless descent, or NULL; irqs off. */
static pmd_t *gupb_pmdp(pgd_t *pgdp, unsigned long addr)
{
	pgd_t pgd = pgdp_get(pgdp);
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;

	if (pgd_none(pgd) || pgd_leaf(pgd))
		return NULL;
	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	p4d = p4dp_get(p4dp);
	if (!p4d_present(p4d))
		return NULL;
	pudp = pud_offset_lockless(p4dp, p4d, addr);
	pud = pudp_get(pudp);
	if (!pud_present(pud) || pud_leaf(pud))
		return NULL;
	return pmd_offset_lockless(pudp, pud, addr);
}

void gupb_entries(struct mm_struct *mm, struct gupb_entries *e)
{
	unsigned long addr = untagged_addr(e->addr), flags;
	pgd_t *pgdp;

	local_irq_save(flags);
	pgdp = pgd_offset(mm, addr);
	e->top_read = (unsigned long)pgdp;
	e->top_own = (unsigned long)gupb_top_own(pgdp, addr);
	e->pmd = (unsigned long)gupb_pmdp(pgdp, addr);
	local_irq_restore(flags);
	e->levels_runtime = gupb_levels_runtime();
}

/*
 * Read the watched entry of addr (GUPB_WATCH_*): its address in *where
 * (0 if there is none), its value returned. Irqs off, so that the tables
 * on the way cannot be freed under the descent.
 */
u64 gupb_entry_read(struct mm_struct *mm, unsigned long addr, u32 level,
		    u64 *where)
{
	unsigned long flags;
	pgd_t *pgdp;
	void *p;
	u64 val = 0;

	addr = untagged_addr(addr);
	local_irq_save(flags);
	pgdp = pgd_offset(mm, addr);
	p = level == GUPB_WATCH_PMD ? (void *)gupb_pmdp(pgdp, addr) :
				       gupb_top_own(pgdp, addr);
	if (p)
		val = READ_ONCE(*(u64 *)p);
	local_irq_restore(flags);
	*where = (unsigned long)p;
	return val;
}

long gupb_walk(struct mm_struct *mm, unsigned long start, unsigned long end,
	       int variant)
{
	unsigned long len = end - start;

	if (!(gupb_variants_valid() & BIT(variant)))
		return -EOPNOTSUPP;
	/* Like gup_fast_fallback(): the walk sees the untagged address. */
	start = untagged_addr(start);
	end = start + len;
	switch (variant) {
#if GUPB_FOLDED_HELPER
	case GUPB_VARIANT_STACK:
		return gupb_walk_stack(mm, start, end);
	case GUPB_VARIANT_GENERIC:
		return gupb_walk_generic(mm, start, end);
#endif
	default:
		return gupb_walk_live(mm, start, end);
	}
}

/*
 * live is always valid. stack and generic exist only where the kernel
 * uses the folded helper; stack is live itself, the same code, where
 * pgtable_l4_enabled() is a constant false (2 and 3 levels), so it is not
 * offered there either; generic hands &pgd to a level folded at run time
 * (the original bug) when pgtable_l4_enabled() is false on an LPA2
 * kernel, so it is refused there.
 */
u32 gupb_variants_valid(void)
{
	u32 valid = BIT(GUPB_VARIANT_LIVE);

	if (!GUPB_FOLDED_HELPER)
		return valid;
	if (CONFIG_PGTABLE_LEVELS > 3)
		valid |= BIT(GUPB_VARIANT_STACK);
	if (!(CONFIG_PGTABLE_LEVELS == 4 && !gupb_l4_enabled()))
		valid |= BIT(GUPB_VARIANT_GENERIC);
	return valid;
}

bool gupb_variants_differ(void)
{
	return GUPB_FOLDED_HELPER;
}

bool gupb_folded_helper(void)
{
	return GUPB_FOLDED_HELPER;
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
