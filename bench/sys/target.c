// SPDX-License-Identifier: GPL-2.0
/* target.c - O_DIRECT targets: null_blk, a private zram, or a user path. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/target.h"
#include "sys/vmstat.h"

#define ZRAM_SIZE (64 << 20)
#define MAX_TARGET_BYTES (256LL << 20)

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int open_dev(struct gupb_target *t, const char *path)
{
	unsigned long long bytes = 0;
	int i;

	/* devtmpfs may need a moment after hot_add. */
	for (i = 0; i < 100; i++) {
		t->fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
		if (t->fd >= 0 || errno != ENOENT)
			break;
		usleep(10000);
	}
	if (t->fd < 0) {
		snprintf(t->why, sizeof(t->why), "open %s O_DIRECT: %s", path,
			 strerror(errno));
		return -1;
	}
	t->fd_buffered = open(path, O_RDWR | O_CLOEXEC);
	if (ioctl(t->fd, BLKGETSIZE64, &bytes) == 0)
		t->size = (off_t)bytes;
	if (t->size > MAX_TARGET_BYTES)
		t->size = MAX_TARGET_BYTES;
	return 0;
}

static int nullb_memory_backed(void)
{
	char c = 'N';
	int fd = open("/sys/module/null_blk/parameters/memory_backed",
		      O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = 'N';
		close(fd);
	}
	return c == 'Y' || c == '1';
}

static int open_zram(struct gupb_target *t)
{
	char buf[64], path[96];
	int fd, id;
	ssize_t n;

	if (geteuid() != 0) {
		snprintf(t->why, sizeof(t->why),
			 "not root: cannot create a private zram (run as root, or pass --target PATH)");
		return -1;
	}
	fd = open("/sys/class/zram-control/hot_add", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(t->why, sizeof(t->why), "no zram-control: %s",
			 strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		snprintf(t->why, sizeof(t->why), "zram hot_add failed");
		return -1;
	}
	buf[n] = 0;
	id = atoi(buf);
	/* ours from here: removed on close, at exit or on a signal (ctx.c) */
	t->zram_id = id;
	snprintf(path, sizeof(path), "/sys/block/zram%d/disksize", id);
	snprintf(buf, sizeof(buf), "%d", ZRAM_SIZE);
	if (write_str(path, buf)) {
		snprintf(t->why, sizeof(t->why), "set %s: %s", path,
			 strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/zram%d", id);
	if (open_dev(t, path))
		return -1;
	t->writable = 1;
	t->punts_iouring = 1;
	snprintf(t->desc, sizeof(t->desc), "zram (private %s, %d MiB)", path,
		 ZRAM_SIZE >> 20);
	return 0;
}

struct probe_io {
	int fd;
	void *buf;
	size_t len;
};

static int probe_read(void *arg)
{
	struct probe_io *p = arg;

	return pread(p->fd, p->buf, p->len, 0) == (ssize_t)p->len ? 0 : -1;
}

/*
 * Does an O_DIRECT read of this target pin the user buffer? Some
 * filesystems accept O_DIRECT and copy through the page cache anyway
 * (tmpfs since 6.6): their reads look fast and measure no GUP at all.
 * 0 = pins (or cannot tell: the workloads' own probe reports it), -1 =
 * does not, reason in t->why.
 */
static int probe_pins(struct gupb_target *t, const char *path)
{
	/* 64 pages a read: the signal stands out of other pinning. */
	struct probe_io p = { t->fd, NULL, 64 * (size_t)sysconf(_SC_PAGESIZE) };
	char why[256];
	double pins;
	enum gupb_proof ret;

	if (posix_memalign(&p.buf, (size_t)sysconf(_SC_PAGESIZE), p.len))
		return 0;
	memset(p.buf, 0, p.len);
	ret = gupb_pins_prove(probe_read, &p, 16, 64, &pins, why, sizeof(why));
	free(p.buf);
	if (ret == GUPB_OP_FAILED) {
		snprintf(t->why, sizeof(t->why), "O_DIRECT read of %s failed: %s",
			 path, strerror(errno));
		return -1;
	}
	/* Too few pins: refuse. Inconclusive: the workloads probe again. */
	if (ret == GUPB_REFUTED && pins >= 0 && pins < 32) {
		snprintf(t->why, sizeof(t->why),
			 "O_DIRECT reads of %s pin nothing (the filesystem copies, e.g. tmpfs): use a block device or a file on ext4/xfs/btrfs",
			 path);
		return -1;
	}
	return 0;
}

/* 1 if [0, size) has a hole or unwritten extent. */
static int has_unwritten(int fd, off_t size)
{
	char buf[sizeof(struct fiemap) + 64 * sizeof(struct fiemap_extent)];
	struct fiemap *fm = (struct fiemap *)buf;
	unsigned int i;

	if (lseek(fd, 0, SEEK_HOLE) < size)
		return 1;
	memset(buf, 0, sizeof(buf));
	fm->fm_length = (__u64)size;
	fm->fm_flags = FIEMAP_FLAG_SYNC;
	fm->fm_extent_count = 64;
	if (ioctl(fd, FS_IOC_FIEMAP, fm))
		return 0;	/* no FIEMAP: trust SEEK_HOLE */
	for (i = 0; i < fm->fm_mapped_extents; i++) {
		struct fiemap_extent *e = &fm->fm_extents[i];

		if (e->fe_flags & FIEMAP_EXTENT_UNWRITTEN)
			return 1;
	}
	return 0;
}

static int open_path(struct gupb_target *t, const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		fprintf(stderr, "gupbench: --target %s: %s\n", path,
			strerror(errno));
		return -EINVAL;
	}
	if (S_ISBLK(st.st_mode)) {
		if (open_dev(t, path) == 0 && probe_pins(t, path) == 0) {
			snprintf(t->desc, sizeof(t->desc), "%s (block device)",
				 path);
		} else if (t->fd >= 0) {
			gupb_target_close(t);
		}
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr,
			"gupbench: --target %s: not a block device or regular file\n",
			path);
		return -EINVAL;
	}
	t->fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (t->fd < 0) {
		snprintf(t->why, sizeof(t->why),
			 "O_DIRECT open of %s refused: %s (tmpfs and some filesystems do not support it)",
			 path, strerror(errno));
		return 0;
	}
	t->size = st.st_size > MAX_TARGET_BYTES ? MAX_TARGET_BYTES :
						   st.st_size;
	if (t->size < (2 << 20)) {
		fprintf(stderr, "gupbench: --target %s: needs at least 2 MiB\n",
			path);
		return -EINVAL;
	}
	if (has_unwritten(t->fd, t->size)) {
		fprintf(stderr,
			"gupbench: --target %s has holes or unwritten (fallocated) extents: O_DIRECT reads of those pin nothing. Write it fully first, e.g. dd if=/dev/urandom of=%s bs=1M count=64\n",
			path, path);
		return -EINVAL;
	}
	if (probe_pins(t, path)) {
		close(t->fd);
		t->fd = -1;
		return 0;
	}
	t->fd_buffered = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(t->desc, sizeof(t->desc), "%s (file, read-only)", path);
	return 0;
}

int gupb_target_check(const char *spec)
{
	struct stat st;

	/* A missing null_blk is bad input, like a missing PATH. */
	if (!strcmp(spec, "nullb") && access("/dev/nullb0", F_OK)) {
		fprintf(stderr,
			"gupbench: --target nullb: no /dev/nullb0 (modprobe null_blk)\n");
		return -EINVAL;
	}
	if (!strcmp(spec, "auto") || !strcmp(spec, "nullb") ||
	    !strcmp(spec, "zram"))
		return 0;
	if (stat(spec, &st)) {
		fprintf(stderr, "gupbench: --target %s: %s\n", spec,
			strerror(errno));
		return -EINVAL;
	}
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode)) {
		fprintf(stderr,
			"gupbench: --target %s: not a block device or regular file\n",
			spec);
		return -EINVAL;
	}
	return 0;
}

int gupb_target_open(const char *spec, struct gupb_target *t)
{
	/*
	 * Field by field, zram_id first: the cleanup registry may close this
	 * target from a signal handler at any point, and a memset() would
	 * make it zram0 for a moment (someone else's, maybe swap).
	 */
	t->zram_id = -1;
	t->fd = t->fd_buffered = -1;
	t->size = 0;
	t->writable = t->punts_iouring = 0;
	t->desc[0] = t->why[0] = 0;
	if (!strcmp(spec, "auto") || !strcmp(spec, "nullb")) {
		if (access("/dev/nullb0", F_OK) == 0) {
			if (open_dev(t, "/dev/nullb0") == 0) {
				t->writable = 1;
				/* memory_backed=Y copies data: say so. */
				snprintf(t->desc, sizeof(t->desc),
					 "/dev/nullb0 (null_blk%s)",
					 nullb_memory_backed() ?
					 ", memory_backed: copies data" : "");
			}
			return 0;
		}
		if (!strcmp(spec, "nullb")) {
			/* Asked for by name: a usage error, like a bad PATH. */
			fprintf(stderr,
				"gupbench: --target nullb: no /dev/nullb0 (modprobe null_blk)\n");
			return -ENOENT;
		}
		if (open_zram(t) == 0)
			return 0;
		if (t->zram_id >= 0)
			gupb_target_close(t);
		return 0;
	}
	if (!strcmp(spec, "zram")) {
		if (open_zram(t) && t->zram_id >= 0)
			gupb_target_close(t);
		return 0;
	}
	return open_path(t, spec);
}

/* Decimal digits of a non-negative int, with no stdio (signal-safe). */
static size_t fmt_uint(char *buf, size_t cap, int v)
{
	char tmp[12];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof(tmp));
	for (i = 0; i < n && i < cap; i++)
		buf[i] = tmp[n - 1 - i];
	return i;
}

/*
 * Also called from a signal handler (the run context's cleanup registry):
 * only async-signal-safe calls here (open, write, close; no stdio, no
 * snprintf, no strerror).
 */
void gupb_target_close(struct gupb_target *t)
{
	static const char busy[] =
		"gupbench: could not remove this run's private zram device (still in use?)\n";
	char buf[16];
	int fd;
	size_t n;

	if (t->fd >= 0)
		close(t->fd);
	if (t->fd_buffered >= 0)
		close(t->fd_buffered);
	t->fd = t->fd_buffered = -1;
	if (t->zram_id < 0)
		return;
	fd = open("/sys/class/zram-control/hot_remove", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = fmt_uint(buf, sizeof(buf), t->zram_id);
		/* busy (still open elsewhere): nothing safe to do but say so */
		if (write(fd, buf, n) < 0) {
			ssize_t w = write(2, busy, sizeof(busy) - 1);

			(void)w;	/* stderr gone too: nobody to tell */
		}
		close(fd);
	}
	t->zram_id = -1;
}
