/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buffers.h - user buffers with a chosen backing and page-table layout.
 *
 * Backings: anon (4K pages, THP off), thp, hugetlb, shmem (memfd), file
 * (MAP_SHARED of a fully written file). Layouts: inside (the buffer starts
 * on a PMD boundary, so up to a PMD it sits under one PMD entry), cross_pmd
 * and cross_pud (the buffer straddles a PMD / PUD boundary, so one call
 * walks two upper-level entries). Buffers are prefaulted: GUP-fast must
 * find present entries.
 */
#ifndef GUPB_BUFFERS_H
#define GUPB_BUFFERS_H

#include <stddef.h>

struct gupb_buf {
	char *addr;		/* the buffer */
	size_t len;
	char *resv;		/* the whole reservation, unmapped on free */
	size_t resv_len;
	int fd;			/* shmem/file backing, -1 otherwise */
	char backing[16];
	char layout[16];
};

size_t gupb_page_size(void);
/* Bytes one entry maps, level 1 = PMD, 2 = PUD, for a page size. Pure. */
size_t gupb_level_size(size_t page, int level);
size_t gupb_pmd_size(void);	/* bytes mapped by one PMD entry */
size_t gupb_pud_size(void);	/* bytes mapped by one PUD entry */

/*
 * Where the buffer starts inside a reservation at base: pure, for tests.
 * boundary is the PMD or PUD size (0 for inside), gran the backing's page
 * size. Returns the offset from base, or (size_t)-1 if len is too small
 * to straddle with that granule.
 */
size_t gupb_layout_offset(size_t base, size_t len, size_t boundary,
			  size_t gran);

/*
 * 0 on success; -1 when the backing/layout is not possible here, with the
 * reason in why (the caller skips the benchmark with it).
 */
int gupb_buf_alloc(struct gupb_buf *b, const char *backing,
		   const char *layout, size_t len, const char *tmpdir,
		   char *why, size_t whylen);
void gupb_buf_free(struct gupb_buf *b);

/* Bytes of the buffer's VMA backed by THP (from /proc/self/smaps). */
long gupb_thp_bytes(const void *addr);

#endif /* GUPB_BUFFERS_H */
