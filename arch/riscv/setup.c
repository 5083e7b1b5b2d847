/*
 * setup.c - riscv64 boot: per-CPU data, the platform description copied out
 * of the device tree, free RAM, and the arch_init() sequence.
 */
#include "kernel.h"
#include "arch.h"
#include "riscv_private.h"

/*
 * Per-CPU data, indexed by the dense cpu number.  Cpu 0's is initialised
 * statically so that head.S can point tp at it before .bss is zeroed; a
 * secondary's is filled in by setup.c (cpu, hartid, plic_ctx) and smp.c
 * (stacks) before its hart starts.
 */
struct riscv_percpu riscv_percpu[RISCV_MAX_CPUS] = {
	[0] = {
		.trap_sp_limit = (unsigned long)boot_stack_bottom + PT_SIZE,
		.emerg_top = (unsigned long)emerg_stack0_top,
		.emerg_bottom = (unsigned long)emerg_stack0_bottom,
		.cpu = 0,
		.stack_bottom = (unsigned long)boot_stack_bottom,
		.stack_top = (unsigned long)boot_stack_top,
		.guard = (unsigned long)boot_stack_guard,
	},
};

struct riscv_platform riscv_plat;

/* Free RAM, computed once by arch_early_init() for arch_mem_region(). */
static struct riscv_range free_ram[RISCV_MAX_RAM];
static int nr_free_ram;

/* add_range - append [base, base + size) to @r; panics when @r is full. */
static void add_range(struct riscv_range *r, int *n, u64 base, u64 size)
{
	if (!size)
		return;
	if (*n == RISCV_MAX_RAM)
		panic("add_range: more than %d memory ranges in the DTB", RISCV_MAX_RAM);
	r[*n].start = base;
	r[(*n)++].end = base + size;
}

/* child_of - is @n a direct child of the root's child @parent (/cpus...)? */
static bool child_of(const struct fdt_node *n, const char *parent)
{
	return n->depth == 2 && !strcmp(n->parent, parent);
}

/* reg_of - the node's first reg pair, or a panic naming what is missing. */
static void reg_of(const struct fdt_node *n, unsigned long *base, unsigned long *size)
{
	u64 b, s;

	if (riscv_fdt_reg(n, 0, &b, &s))
		panic("reg_of: DTB node %s has no usable reg", n->name);
	*base = b;
	if (size)
		*size = s;
}

/* node_enabled - no status property, or "okay" / "ok". */
static bool node_enabled(const struct fdt_node *n)
{
	return !riscv_fdt_prop(n, "status", NULL) || riscv_fdt_prop_is(n, "status", "okay") ||
	       riscv_fdt_prop_is(n, "status", "ok");
}

/* The walk's memory of the last enabled cpu node, for its intc child. */
struct dtb_walk {
	struct riscv_platform *p;
	const char *cpu_name;		/* NULL after a disabled cpu node */
};

/*
 * dtb_cpu - an enabled /cpus/cpu@N node: its hart id (reg).  Its
 * interrupt-controller child (visited next) gives the phandle the PLIC's
 * interrupts-extended refers to.
 */
static void dtb_cpu(const struct fdt_node *n, struct dtb_walk *w)
{
	struct riscv_platform *p = w->p;
	u64 hartid, unused;

	w->cpu_name = NULL;
	if (!node_enabled(n))
		return;
	if (riscv_fdt_reg(n, 0, &hartid, &unused))
		panic("dtb_cpu: %s has no reg (hart id)", n->name);
	if (p->dtb_cpus < RISCV_MAX_HARTS) {
		p->harts[p->dtb_cpus].hartid = hartid;
		w->cpu_name = n->name;
	}
	p->dtb_cpus++;
}

/*
 * dtb_node - riscv_fdt_walk() callback: copy what the kernel needs from one
 * node into riscv_plat.
 */
static void dtb_node(const struct fdt_node *n, void *arg)
{
	struct dtb_walk *w = arg;
	struct riscv_platform *p = w->p;
	u64 base, size;

	if (riscv_fdt_prop_is(n, "device_type", "memory")) {
		for (int i = 0; riscv_fdt_reg(n, i, &base, &size) == 0; i++)
			add_range(p->ram, &p->nr_ram, base, size);
	} else if (n->depth == 1 && !strcmp(n->name, "cpus")) {
		riscv_fdt_u32(n, "timebase-frequency", &p->timebase_hz);
	} else if (child_of(n, "cpus") && riscv_fdt_prop_is(n, "device_type", "cpu")) {
		dtb_cpu(n, w);
		if (!p->timebase_hz)	/* allowed per cpu node too */
			riscv_fdt_u32(n, "timebase-frequency", &p->timebase_hz);
	} else if (n->depth == 3 && w->cpu_name && !strcmp(n->parent, w->cpu_name) &&
		   riscv_fdt_compatible(n, "riscv,cpu-intc")) {
		riscv_fdt_u32(n, "phandle", &p->harts[p->dtb_cpus - 1].intc_phandle);
	} else if (child_of(n, "reserved-memory")) {
		for (int i = 0; riscv_fdt_reg(n, i, &base, &size) == 0; i++)
			add_range(p->reserved, &p->nr_reserved, base, size);
	} else if (riscv_fdt_compatible(n, "ns16550a") && !p->uart_base) {
		reg_of(n, &p->uart_base, NULL);
		if (riscv_fdt_u32(n, "interrupts", &p->uart_irq))
			panic("dtb_node: UART %s has no interrupts property", n->name);
		riscv_fdt_u32(n, "reg-shift", &p->uart_reg_shift);
	} else if (riscv_fdt_compatible(n, "riscv,plic0") ||
		   riscv_fdt_compatible(n, "sifive,plic-1.0.0")) {
		reg_of(n, &p->plic_base, &p->plic_size);
		if (riscv_fdt_u32(n, "riscv,ndev", &p->plic_ndev))
			panic("dtb_node: PLIC %s has no riscv,ndev", n->name);
		p->plic_ie = riscv_fdt_prop(n, "interrupts-extended", &p->plic_ie_len);
	} else if (riscv_fdt_compatible(n, "sifive,test0")) {
		reg_of(n, &p->test_base, NULL);
	}
}

/*
 * parse_dtb - fill riscv_plat from the blob at @dtb; panics naming the first
 * thing the kernel cannot run without.  The console is the SBI's until the
 * UART is known, so these panics are still visible.
 */
static void parse_dtb(unsigned long dtb)
{
	struct riscv_platform *p = &riscv_plat;
	struct dtb_walk w = { .p = p };
	u64 base, size;

	if (riscv_fdt_check((const void *)dtb))
		panic("parse_dtb: no valid device tree at 0x%lx", dtb);
	p->dtb_start = dtb;
	p->dtb_end = dtb + riscv_fdt_total_size((const void *)dtb);
	if (riscv_fdt_walk((const void *)dtb, dtb_node, &w))
		panic("parse_dtb: malformed device tree at 0x%lx", dtb);
	for (int i = 0; riscv_fdt_memreserve((const void *)dtb, i, &base, &size) == 0; i++)
		add_range(p->reserved, &p->nr_reserved, base, size);

	if (!p->nr_ram)
		panic("parse_dtb: no /memory node");
	if (!p->timebase_hz)
		panic("parse_dtb: no timebase-frequency in /cpus");
	if (!p->dtb_cpus)
		panic("parse_dtb: no cpu nodes in /cpus");
	if (!p->uart_base)
		panic("parse_dtb: no ns16550a UART");
	if (!p->plic_base)
		panic("parse_dtb: no PLIC (riscv,plic0 / sifive,plic-1.0.0)");
}

/*
 * plic_context_of - the PLIC context that delivers supervisor external
 * interrupts to hart @h.  The PLIC's interrupts-extended lists one
 * <intc-phandle irq> pair per context, in context order (riscv,cpu-intc
 * fixes #interrupt-cells at 1); the pair naming @h's intc with IRQ_S_EXT is
 * its S-mode context.  Without the property, QEMU virt's and SiFive's layout
 * (an M context 2 * hart, then an S context 2 * hart + 1) is assumed.
 */
static unsigned long plic_context_of(const struct riscv_platform *p, const struct riscv_hart *h)
{
	if (!p->plic_ie)
		return 2 * h->hartid + 1;
	for (u32 ctx = 0; (ctx + 1) * 2 * sizeof(u32) <= p->plic_ie_len; ctx++)
		if (riscv_fdt_cell(p->plic_ie, 2 * ctx) == h->intc_phandle &&
		    riscv_fdt_cell(p->plic_ie, 2 * ctx + 1) == IRQ_S_EXT)
			return ctx;
	return RISCV_NO_PLIC_CTX;
}

/* set_cpu - give dense number @cpu to DTB hart @h. */
static void set_cpu(unsigned int cpu, const struct riscv_hart *h)
{
	riscv_percpu[cpu].cpu = cpu;
	riscv_percpu[cpu].hartid = h->hartid;
	riscv_percpu[cpu].plic_ctx = h->plic_ctx;
}

/*
 * number_cpus - dense cpu numbers: cpu 0 is the hart OpenSBI booted us on
 * (any of them: head.S kept its id), the other enabled harts follow in DTB
 * order, up to RISCV_MAX_CPUS.
 */
static void number_cpus(void)
{
	struct riscv_platform *p = &riscv_plat;
	unsigned int known = MIN(p->dtb_cpus, (unsigned int)RISCV_MAX_HARTS), boot = known;

	for (unsigned int i = 0; i < known; i++) {
		p->harts[i].plic_ctx = plic_context_of(p, &p->harts[i]);
		if (p->harts[i].hartid == riscv_percpu[0].hartid)
			boot = i;
	}
	if (boot == known)
		panic("number_cpus: boot hart %lu is not among the DTB's first %u cpus",
		      riscv_percpu[0].hartid, known);
	set_cpu(0, &p->harts[boot]);
	p->nr_cpus = 1;
	for (unsigned int i = 0; i < known && p->nr_cpus < RISCV_MAX_CPUS; i++)
		if (i != boot)
			set_cpu(p->nr_cpus++, &p->harts[i]);
	if (p->dtb_cpus > p->nr_cpus)
		printk("smp: %u harts in the DTB, only %u used (RISCV_MAX_CPUS)\n",
		       p->dtb_cpus, p->nr_cpus);
}

/* subtract - remove [s, e) from the free list, splitting a range if needed. */
static void subtract(phys_addr_t s, phys_addr_t e)
{
	for (int i = 0; i < nr_free_ram; i++) {
		struct riscv_range *r = &free_ram[i];

		if (e <= r->start || s >= r->end)
			continue;
		if (s > r->start && e < r->end) {
			/* Hole in the middle: the tail becomes a new range. */
			add_range(free_ram, &nr_free_ram, e, r->end - e);
			r->end = s;
		} else if (s > r->start) {
			r->end = s;
		} else if (e < r->end) {
			r->start = e;
		} else {
			r->start = r->end;	/* fully covered: empty */
		}
	}
}

/*
 * compute_free_ram - DTB memory minus: everything below the end of the image
 * (OpenSBI owns 0x80000000 up to where it loaded us), reserved regions and
 * the DTB itself (kept intact for later readers).
 */
static void compute_free_ram(void)
{
	struct riscv_platform *p = &riscv_plat;

	for (int i = 0; i < p->nr_ram; i++)
		add_range(free_ram, &nr_free_ram, p->ram[i].start,
			  p->ram[i].end - p->ram[i].start);
	subtract(0, ALIGN_UP((phys_addr_t)_kernel_end, PAGE_SIZE));
	for (int i = 0; i < p->nr_reserved; i++)
		subtract(ALIGN_DOWN(p->reserved[i].start, PAGE_SIZE),
			 ALIGN_UP(p->reserved[i].end, PAGE_SIZE));
	subtract(ALIGN_DOWN(p->dtb_start, PAGE_SIZE), ALIGN_UP(p->dtb_end, PAGE_SIZE));
}

/*
 * arch_early_init - first C code (from head.S via kmain), interrupts off,
 * MMU off.  Reads the DTB, brings up the UART and the clock.  Allocates
 * nothing.
 */
void arch_early_init(unsigned long boot_info)
{
	riscv_sbi_init();
	parse_dtb(boot_info);
	number_cpus();
	riscv_uart_init();
	riscv_clock_init();
	compute_free_ram();
}

/* arch_mem_region - see arch.h. */
int arch_mem_region(int i, phys_addr_t *start, phys_addr_t *end)
{
	for (int j = 0; j < nr_free_ram; j++) {
		if (free_ram[j].start >= free_ram[j].end)
			continue;
		if (i-- == 0) {
			*start = free_ram[j].start;
			*end = free_ram[j].end;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * arch_init - after page_alloc_init(): page tables (and, in the classic
 * ftrace flavour, the -pg prologues made to keep a0), then the PLIC routing
 * the UART to this hart (the only one devices interrupt), then the timer.
 * sie gets the external, timer and software (IPI) enables; sstatus.SIE
 * stays 0 until kmain() calls arch_irq_enable().
 */
void arch_init(void)
{
	riscv_mm_init();
#ifdef CONFIG_FTRACE_MCOUNT
	riscv_mcount_init();	/* needs the text alias, before ftrace_init() */
#endif
	riscv_plic_init();
	riscv_plic_enable(riscv_plat.uart_irq);
	riscv_uart_enable_rx_irq();
	csr_set(sie, SIE_SEIE | SIE_STIE | SIE_SSIE);
	riscv_timer_start();
}

/* arch_name - see arch.h. */
const char *arch_name(void)
{
	return "riscv64";
}

/*
 * arch_nr_cpus - see arch.h: the enabled harts of the DTB, capped at
 * RISCV_MAX_CPUS (== MAX_CPUS: generic per-CPU arrays are that long).
 */
unsigned int arch_nr_cpus(void)
{
	return riscv_plat.nr_cpus;
}

/* arch_cpu_describe - "hart N": the SBI/DTB id behind dense cpu @cpu. */
void arch_cpu_describe(unsigned int cpu, char *buf, size_t len)
{
	if (cpu >= RISCV_MAX_CPUS)
		panic("arch_cpu_describe: cpu %u out of range", cpu);
	snprintf(buf, len, "hart %lu", riscv_percpu[cpu].hartid);
}

/*
 * arch_halt_forever - interrupts off and nothing enabled in sie, so wfi
 * really sleeps instead of returning at once for a pending interrupt.
 */
void __noreturn arch_halt_forever(void)
{
	for (;;) {
		arch_irq_disable();
		write_csr(sie, 0);
		wfi();
	}
}
