// SPDX-License-Identifier: GPL-2.0
/*
 * gupcount.c - QEMU TCG plugin: exact dynamic counts per GUP-fast call.
 *
 * Counts the guest instructions executed, and the memory accesses they
 * make, inside a set of kernel PC ranges (the out-of-line functions of the
 * lockless walk, from the kernel's symbols), and splits them per call:
 * one call starts at each execution of the entry PC (the first instruction
 * of gup_fast_fallback) and lasts until the next entry or phase marker.
 * The guest program separates its workloads by calling a marker syscall
 * (getppid): each execution of the marker PC starts a new phase.
 *
 * Under TCG these counts are exact and repeatable, unlike time: a change
 * of one load per call between two kernels is a fact. Loads and stores are
 * what QEMU reports as memory accesses: an LDP is two loads, an atomic
 * read-modify-write is one load and one store.
 *
 * Only one vCPU (-smp 1): the counters are plain globals, so the plugin
 * refuses to load on more than one, rather than mixing calls of two CPUs.
 *
 * Arguments (qemu -plugin file=gupcount.so,arg=...):
 *   range=START-END-NAME  half-open PC range [START, END), hex; repeatable
 *   entry=ADDR            PC whose execution starts a call (hex)
 *   marker=ADDR           PC whose execution starts a phase (hex)
 *   out=PATH              result file, written at exit (tmp + rename)
 *
 * Output (text, one record a line; scripts/answer/counts.py reads it):
 *   gupcount 1
 *   range IDX START END NAME
 *   phase P calls C insns I loads L stores S stray I L S stack L S nostack N
 *   prange P IDX insns loads stores
 *   hist P insns loads stores count
 *   histlost P count
 *   trace P PC loads stores OPCODE stack_loads stack_stores
 *                               (the first call of phase P, in order)
 *   tracelost P count
 *   end
 * "stray" is what ran in the ranges outside any call (expected 0);
 * "stack" the part of the calls' loads and stores that went to the stack
 * (see STACK_WINDOW), "nostack" calls where that could not be told;
 * "histlost" counts calls whose tuple did not fit the histogram table.
 * The trace is the path of one call, instruction by instruction: with the
 * disassembly it shows which instructions a stock-to-patched delta is made
 * of, which totals alone cannot. OPCODE is the instruction as executed:
 * boot-time alternatives rewrite some (b <-> nop, per CPU features), so
 * vmlinux's disassembly alone would misname them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_RANGES	32	/* fits the 6-bit range field of udata */
#define MAX_PHASES	64
#define MAX_TUPLES	256	/* distinct per-call tuples kept per phase */
#define MAX_TRACE	2048	/* instructions traced of a phase's first call */

struct tally {
	uint64_t insns, loads, stores;
};

struct range {
	uint64_t start, end;
	char name[64];
	uint32_t *opcodes;	/* per 4-byte slot, as last translated */
};

struct tuple {
	struct tally t;
	uint64_t count;
};

struct step {
	uint64_t pc;
	uint32_t loads, stores;
	uint32_t stack_loads, stack_stores;
};

struct phase {
	uint64_t calls;
	struct step trace[MAX_TRACE];
	unsigned int ntrace;
	uint64_t tracelost;
	struct tally total, stray;
	struct tally stack;	/* of total: accesses to the call's stack */
	uint64_t nostack;	/* calls whose entry stored nothing */
	struct tally per_range[MAX_RANGES];
	struct tuple hist[MAX_TUPLES];
	unsigned int ntuples;
	uint64_t histlost;
};

static struct range ranges[MAX_RANGES];
static unsigned int nranges;
static uint64_t entry_pc, marker_pc;
static int have_entry, have_marker;
static const char *out_path;

/* Phase 0 is everything before the first marker (boot, warm-up). */
static struct phase phases[MAX_PHASES];
static unsigned int cur_phase;
static uint64_t phases_lost;	/* markers beyond MAX_PHASES */
static int in_call;
static struct tally call;	/* the call being counted */
/*
 * The stack pointer at the call's first store: the entry instruction's
 * frame push (stp x29, x30, [sp, #-N]!). Accesses within STACK_WINDOW of
 * it are to the walk's own frames (spills, on-stack copies); the rest go
 * to page tables, struct pages, the mm. That split is what tells a reload
 * of the live page-table entry from a load of the on-stack copy. The
 * window is far smaller than the distance from a kernel stack to the
 * linear map or vmemmap, and larger than the walk's frames (< 1 KiB).
 */
#define STACK_WINDOW	8192
static uint64_t call_sp;
static int have_sp;

/*
 * udata of an instruction's exec callback: bit 0 "starts a call", bit 1
 * "starts a phase", bits 2-7 the range index + 1 (0: in no range), bits
 * 8+ the offset of the instruction in its range (for the trace).
 */
#define U_ENTRY		0x1UL
#define U_MARKER	0x2UL
#define U_RANGE_SHIFT	2
#define U_RANGE_MASK	0x3fUL
#define U_OFF_SHIFT	8

static uint64_t pc_of(uintptr_t u)
{
	unsigned int r = (u >> U_RANGE_SHIFT) & U_RANGE_MASK;

	return ranges[r - 1].start + (u >> U_OFF_SHIFT);
}

static void hist_add(struct phase *p, const struct tally *t)
{
	unsigned int i;

	for (i = 0; i < p->ntuples; i++) {
		struct tally *h = &p->hist[i].t;

		if (h->insns == t->insns && h->loads == t->loads &&
		    h->stores == t->stores) {
			p->hist[i].count++;
			return;
		}
	}
	if (p->ntuples == MAX_TUPLES) {
		p->histlost++;
		return;
	}
	p->hist[p->ntuples].t = *t;
	p->hist[p->ntuples].count = 1;
	p->ntuples++;
}

/* A call ends at the next entry or marker: file its tuple. */
static void end_call(void)
{
	if (in_call) {
		hist_add(&phases[cur_phase], &call);
		phases[cur_phase].nostack += !have_sp;
	}
	in_call = 0;
	have_sp = 0;
	memset(&call, 0, sizeof(call));
}

static void vcpu_insn_exec(unsigned int vcpu_index, void *udata)
{
	uintptr_t u = (uintptr_t)udata;
	unsigned int r = (u >> U_RANGE_SHIFT) & U_RANGE_MASK;
	struct phase *p;

	(void)vcpu_index;
	if (u & U_MARKER) {
		end_call();
		if (cur_phase + 1 < MAX_PHASES)
			cur_phase++;
		else
			phases_lost++;
	}
	p = &phases[cur_phase];
	if (u & U_ENTRY) {
		end_call();
		in_call = 1;
		p->calls++;
	}
	if (!r)
		return;
	p->per_range[r - 1].insns++;
	if (in_call) {
		call.insns++;
		p->total.insns++;
		if (p->calls == 1) {
			if (p->ntrace < MAX_TRACE)
				p->trace[p->ntrace++].pc = pc_of(u);
			else
				p->tracelost++;
		}
	} else {
		p->stray.insns++;
	}
}

static void vcpu_mem(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
		     uint64_t vaddr, void *udata)
{
	unsigned int r = (uintptr_t)udata;
	struct phase *p = &phases[cur_phase];
	int store = qemu_plugin_mem_is_store(info);
	int on_stack;

	(void)vcpu_index;
	if (store)
		p->per_range[r].stores++;
	else
		p->per_range[r].loads++;
	if (!in_call) {
		if (store)
			p->stray.stores++;
		else
			p->stray.loads++;
		return;
	}
	/* Only the entry instruction (the call's first) sets the frame. */
	if (!have_sp && store && call.insns == 1) {
		call_sp = vaddr;
		have_sp = 1;
	}
	on_stack = have_sp && vaddr + STACK_WINDOW >= call_sp &&
		   vaddr < call_sp + STACK_WINDOW;
	if (on_stack) {
		if (store)
			p->stack.stores++;
		else
			p->stack.loads++;
	}
	/* A memory callback follows its instruction's exec callback. */
	if (p->calls == 1 && p->ntrace && !p->tracelost) {
		struct step *st = &p->trace[p->ntrace - 1];

		if (store) {
			st->stores++;
			st->stack_stores += on_stack;
		} else {
			st->loads++;
			st->stack_loads += on_stack;
		}
	}
	if (store) {
		call.stores++;
		p->total.stores++;
	} else {
		call.loads++;
		p->total.loads++;
	}
}

static int find_range(uint64_t pc)
{
	unsigned int i;

	for (i = 0; i < nranges; i++)
		if (pc >= ranges[i].start && pc < ranges[i].end)
			return i;
	return -1;
}

/*
 * Instrument only what matters: instructions in the ranges and the two
 * special PCs. Everything else runs uninstrumented, so the boot stays fast.
 */
static void vcpu_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;

	(void)id;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t pc = qemu_plugin_insn_vaddr(insn);
		int r = find_range(pc);
		uintptr_t u = 0;

		if (have_entry && pc == entry_pc)
			u |= U_ENTRY;
		if (have_marker && pc == marker_pc)
			u |= U_MARKER;
		if (r >= 0 && qemu_plugin_insn_size(insn) == 4) {
			uint64_t slot = (pc - ranges[r].start) / 4;

			memcpy(&ranges[r].opcodes[slot],
			       qemu_plugin_insn_data(insn), 4);
		}
		if (r >= 0)
			u |= (uintptr_t)(r + 1) << U_RANGE_SHIFT |
			     (uintptr_t)(pc - ranges[r].start) << U_OFF_SHIFT;
		if (!u)
			continue;
		qemu_plugin_register_vcpu_insn_exec_cb(insn, vcpu_insn_exec,
						       QEMU_PLUGIN_CB_NO_REGS,
						       (void *)u);
		if (r >= 0)
			qemu_plugin_register_vcpu_mem_cb(insn, vcpu_mem,
							 QEMU_PLUGIN_CB_NO_REGS,
							 QEMU_PLUGIN_MEM_RW,
							 (void *)(uintptr_t)r);
	}
}

static uint32_t opcode_at(uint64_t pc)
{
	int r = find_range(pc);

	return r < 0 ? 0 : ranges[r].opcodes[(pc - ranges[r].start) / 4];
}

static int write_results(FILE *f)
{
	unsigned int i, r, k;

	fprintf(f, "gupcount 1\n");
	for (i = 0; i < nranges; i++)
		fprintf(f, "range %u 0x%" PRIx64 " 0x%" PRIx64 " %s\n", i,
			ranges[i].start, ranges[i].end, ranges[i].name);
	fprintf(f, "phaseslost %" PRIu64 "\n", phases_lost);
	for (i = 0; i <= cur_phase; i++) {
		struct phase *p = &phases[i];

		fprintf(f, "phase %u calls %" PRIu64 " insns %" PRIu64
			" loads %" PRIu64 " stores %" PRIu64 " stray %" PRIu64
			" %" PRIu64 " %" PRIu64 " stack %" PRIu64 " %" PRIu64
			" nostack %" PRIu64 "\n", i, p->calls,
			p->total.insns, p->total.loads, p->total.stores,
			p->stray.insns, p->stray.loads, p->stray.stores,
			p->stack.loads, p->stack.stores, p->nostack);
		for (r = 0; r < nranges; r++)
			fprintf(f, "prange %u %u %" PRIu64 " %" PRIu64 " %" PRIu64
				"\n", i, r, p->per_range[r].insns,
				p->per_range[r].loads, p->per_range[r].stores);
		for (k = 0; k < p->ntuples; k++)
			fprintf(f, "hist %u %" PRIu64 " %" PRIu64 " %" PRIu64
				" %" PRIu64 "\n", i, p->hist[k].t.insns,
				p->hist[k].t.loads, p->hist[k].t.stores,
				p->hist[k].count);
		fprintf(f, "histlost %u %" PRIu64 "\n", i, p->histlost);
		for (k = 0; k < p->ntrace; k++)
			fprintf(f, "trace %u 0x%" PRIx64 " %" PRIu32 " %" PRIu32
				" %08" PRIx32 " %" PRIu32 " %" PRIu32 "\n", i,
				p->trace[k].pc, p->trace[k].loads,
				p->trace[k].stores, opcode_at(p->trace[k].pc),
				p->trace[k].stack_loads, p->trace[k].stack_stores);
		fprintf(f, "tracelost %u %" PRIu64 "\n", i, p->tracelost);
	}
	fprintf(f, "end\n");
	return ferror(f) ? -1 : 0;
}

static void plugin_exit(qemu_plugin_id_t id, void *p)
{
	char tmp[4096];
	FILE *f;

	(void)id;
	(void)p;
	end_call();
	/* Atomically: a reader never sees half a file, or a stale one as new. */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", out_path) >= (int)sizeof(tmp))
		goto err;
	f = fopen(tmp, "w");
	if (!f)
		goto err;
	if (write_results(f) || fclose(f)) {
		remove(tmp);
		goto err;
	}
	if (rename(tmp, out_path))
		goto err;
	return;
err:
	fprintf(stderr, "gupcount: cannot write %s: %s\n", out_path,
		strerror(errno));
}

static int parse_hex(const char *s, uint64_t *v, const char **end)
{
	char *e;

	errno = 0;
	*v = strtoull(s, &e, 16);
	if (errno || e == s)
		return -1;
	*end = e;
	return 0;
}

static int parse_range(const char *val)
{
	struct range *r;
	const char *e;

	if (nranges == MAX_RANGES) {
		fprintf(stderr, "gupcount: more than %d ranges\n", MAX_RANGES);
		return -1;
	}
	r = &ranges[nranges];
	if (parse_hex(val, &r->start, &e) || *e != '-' ||
	    parse_hex(e + 1, &r->end, &e) || *e != '-' || !e[1] ||
	    r->end <= r->start || strlen(e + 1) >= sizeof(r->name)) {
		fprintf(stderr, "gupcount: bad range '%s' (want START-END-NAME, hex)\n",
			val);
		return -1;
	}
	strcpy(r->name, e + 1);
	/* Kernel functions are small; a huge range is a wrong argument. */
	if (r->end - r->start > (1 << 24)) {
		fprintf(stderr, "gupcount: range '%s' is over 16 MiB\n", val);
		return -1;
	}
	if (find_range(r->start) >= 0 || find_range(r->end - 1) >= 0) {
		fprintf(stderr, "gupcount: range '%s' overlaps another\n", val);
		return -1;
	}
	r->opcodes = calloc((r->end - r->start) / 4 + 1, sizeof(uint32_t));
	if (!r->opcodes) {
		fprintf(stderr, "gupcount: out of memory\n");
		return -1;
	}
	nranges++;
	return 0;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	if (!info->system_emulation || info->system.max_vcpus != 1) {
		fprintf(stderr, "gupcount: needs system emulation with one vCPU (-smp 1)\n");
		return -1;
	}
	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		const char *key = argv[i], *val, *e;
		int bad = 0;

		if (!eq) {
			fprintf(stderr, "gupcount: argument '%s' is not key=value\n", key);
			return -1;
		}
		*eq = '\0';
		val = eq + 1;
		if (!strcmp(key, "range"))
			bad = parse_range(val);
		else if (!strcmp(key, "entry")) {
			bad = parse_hex(val, &entry_pc, &e) || *e;
			have_entry = 1;
		} else if (!strcmp(key, "marker")) {
			bad = parse_hex(val, &marker_pc, &e) || *e;
			have_marker = 1;
		}
		else if (!strcmp(key, "out"))
			out_path = val;
		else {
			fprintf(stderr, "gupcount: unknown argument '%s'\n", key);
			return -1;
		}
		if (bad) {
			fprintf(stderr, "gupcount: bad value for %s: '%s'\n", key, val);
			return -1;
		}
	}
	if (!nranges || !have_entry || !have_marker || !out_path) {
		fprintf(stderr, "gupcount: need range=..., entry=, marker= and out=\n");
		return -1;
	}
	if (find_range(entry_pc) < 0) {
		fprintf(stderr, "gupcount: entry 0x%" PRIx64 " is in no range\n",
			entry_pc);
		return -1;
	}
	if (find_range(marker_pc) >= 0) {
		fprintf(stderr, "gupcount: marker 0x%" PRIx64 " is inside a range\n",
			marker_pc);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, vcpu_tb_trans);
	qemu_plugin_register_atexit_cb(id, plugin_exit, NULL);
	return 0;
}
