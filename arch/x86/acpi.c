/*
 * acpi.c - read the few ACPI facts the kernel needs, once at boot:
 * FADT (PM1a control and PM timer ports), DSDT (SLP_TYPa of \_S5),
 * MADT (local APIC and IOAPIC addresses, CPUs, the COM1 interrupt override).
 * Tables are below 4 GiB, inside the early identity map.
 */
#include "kernel.h"
#include "percpu.h"
#include "x86.h"

struct __packed acpi_header {
	char sig[4];
	u32 length;
	u8 revision, checksum;
	char oem[6], oem_table[8];
	u32 oem_rev, creator, creator_rev;
};

#define FADT_DSDT		40
#define FADT_PM1A_CNT		64
#define FADT_PM_TMR		76
#define FADT_FLAGS		112
#define FADT_FLAG_TMR_VAL_EXT	(1U << 8)
#define FADT_X_DSDT		140
#define MADT_LAPIC_ADDR		36
#define MADT_ENTRIES		44
#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_ISO		2
#define MADT_LAPIC_ENABLED	1
#define AML_PACKAGE_OP		0x12
#define AML_BYTE_PREFIX		0x0a
#define DEFAULT_LAPIC		0xfee00000UL
#define DEFAULT_IOAPIC		0xfec00000UL

static u32 rd32(const void *p, unsigned int off) { u32 v; memcpy(&v, (const u8 *)p + off, 4); return v; }
static u64 rd64(const void *p, unsigned int off) { u64 v; memcpy(&v, (const u8 *)p + off, 8); return v; }

static bool checksum_ok(const void *p, size_t len)
{
	u8 sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += ((const u8 *)p)[i];
	return sum == 0;
}

/* find_rsdp - the "RSD PTR " structure in the BIOS area, 16-byte aligned. */
static unsigned long find_rsdp(void)
{
	for (unsigned long a = 0xe0000; a < 0x100000; a += 16)
		if (!memcmp((void *)a, "RSD PTR ", 8) && checksum_ok((void *)a, 20))
			return a;
	return 0;
}

/* parse_s5 - SLP_TYPa from "Name(_S5, Package(){a, b, ...})" in the DSDT. */
static void parse_s5(const struct acpi_header *dsdt)
{
	const u8 *p = (const u8 *)dsdt, *end = p + dsdt->length - 8;

	for (; p < end; p++) {
		if (memcmp(p, "_S5_", 4) || p[4] != AML_PACKAGE_OP)
			continue;
		p += 5;
		p += 1 + (p[0] >> 6);	/* PkgLength: lead byte + extra bytes */
		p++;			/* NumElements */
		if (*p == AML_BYTE_PREFIX)
			p++;
		x86_plat.slp_typ_s5 = *p;	/* ZeroOp/OneOp encode 0/1 too */
		return;
	}
}

static void parse_fadt(const struct acpi_header *f)
{
	unsigned long dsdt = rd32(f, FADT_DSDT);

	if (f->length >= FADT_X_DSDT + 8 && rd64(f, FADT_X_DSDT))
		dsdt = rd64(f, FADT_X_DSDT);
	x86_plat.pm1a_cnt = (u16)rd32(f, FADT_PM1A_CNT);
	x86_plat.pm_tmr = (u16)rd32(f, FADT_PM_TMR);
	x86_plat.pm_tmr_32bit = rd32(f, FADT_FLAGS) & FADT_FLAG_TMR_VAL_EXT;
	if (dsdt)
		parse_s5((const struct acpi_header *)dsdt);
}

static void parse_madt(const struct acpi_header *m)
{
	const u8 *p = (const u8 *)m + MADT_ENTRIES, *end = (const u8 *)m + m->length;

	unsigned int seen = 0;

	x86_plat.lapic_base = rd32(m, MADT_LAPIC_ADDR);
	for (; p + 2 <= end && p[1]; p += p[1]) {
		if (p[0] == MADT_LAPIC && (rd32(p, 4) & MADT_LAPIC_ENABLED)) {
			if (x86_plat.nr_cpus < MIN(ARRAY_SIZE(x86_plat.apic_ids), (size_t)MAX_CPUS))
				x86_plat.apic_ids[x86_plat.nr_cpus++] = p[3];
			seen++;
		} else if (p[0] == MADT_IOAPIC && !x86_plat.ioapic_base)
			x86_plat.ioapic_base = rd32(p, 4);
		else if (p[0] == MADT_ISO && p[3] == COM1_IRQ) {
			x86_plat.com1_gsi = rd32(p, 4);
			x86_plat.com1_flags = p[8] | (p[9] << 8);
		}
	}
	if (seen > x86_plat.nr_cpus)
		printk("smp: %u CPUs in the MADT, only %u used (MAX_CPUS)\n",
		       seen, x86_plat.nr_cpus);
}

/* x86_acpi_init - fill x86_plat; panics if the tables are unusable. */
void x86_acpi_init(unsigned long rsdp)
{
	const u8 *r;
	unsigned long root;
	bool xsdt;

	x86_plat.com1_gsi = COM1_IRQ;
	if (!rsdp)
		rsdp = find_rsdp();
	if (!rsdp)
		panic("x86_acpi_init: no ACPI RSDP");
	r = (const u8 *)rsdp;
	xsdt = r[15] >= 2 && rd64(r, 24);
	root = xsdt ? rd64(r, 24) : rd32(r, 16);

	const struct acpi_header *h = (const void *)root;
	unsigned int n = (h->length - sizeof(*h)) / (xsdt ? 8 : 4);

	for (unsigned int i = 0; i < n; i++) {
		unsigned long a = xsdt ? rd64(h + 1, i * 8) : rd32(h + 1, i * 4);
		const struct acpi_header *t = (const void *)a;

		if (!memcmp(t->sig, "FACP", 4))
			parse_fadt(t);
		else if (!memcmp(t->sig, "APIC", 4))
			parse_madt(t);
	}
	if (!x86_plat.pm1a_cnt || !x86_plat.pm_tmr)
		panic("x86_acpi_init: FADT without PM1a control or PM timer");
	if (!x86_plat.lapic_base)
		x86_plat.lapic_base = DEFAULT_LAPIC;
	if (!x86_plat.ioapic_base)
		x86_plat.ioapic_base = DEFAULT_IOAPIC;
	if (!x86_plat.nr_cpus)
		x86_plat.nr_cpus = 1;
}

u32 x86_pm_timer_read(void)
{
	u32 v = inl(x86_plat.pm_tmr);

	return x86_plat.pm_tmr_32bit ? v : (v & 0xffffff);
}
