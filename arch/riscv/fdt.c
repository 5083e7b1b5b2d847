/*
 * fdt.c - a small read-only walker for the flattened device tree (DTB)
 * OpenSBI hands over in a1.  Enough for arch_early_init(): visit every node
 * with its parent's #address-cells/#size-cells, look up properties, decode
 * reg and the memory reservation block.  Everything in a DTB is big-endian.
 */
#include "kernel.h"
#include "riscv_private.h"

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9
#define FDT_MAX_DEPTH	16
#define FDT_DEFAULT_ADDR_CELLS 2	/* devicetree spec defaults */
#define FDT_DEFAULT_SIZE_CELLS 1

struct fdt_header {
	u32 magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap;
	u32 version, last_comp_version, boot_cpuid_phys;
	u32 size_dt_strings, size_dt_struct;
};

/* be32 - byte by byte: without Zbb gcc would call libgcc's __bswapsi2. */
static u32 be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

/* be64 - two big-endian cells, most significant first. */
static u64 be64(const void *p)
{
	return ((u64)be32(p) << 32) | be32((const u32 *)p + 1);
}

/* riscv_fdt_cell - the @i-th big-endian cell of a property value. */
u32 riscv_fdt_cell(const u32 *cells, unsigned int i)
{
	return be32(cells + i);
}

/* riscv_fdt_check - 0 if @dtb looks like a version 16+ FDT, else -EINVAL. */
int riscv_fdt_check(const void *dtb)
{
	const struct fdt_header *h = dtb;

	if (!dtb || ((unsigned long)dtb & 7) || be32(&h->magic) != FDT_MAGIC ||
	    be32(&h->last_comp_version) > 17 || be32(&h->version) < 16)
		return -EINVAL;
	return 0;
}

/* riscv_fdt_total_size - bytes the blob occupies (to keep it out of RAM). */
u32 riscv_fdt_total_size(const void *dtb)
{
	return be32(&((const struct fdt_header *)dtb)->totalsize);
}

/* skip_string - the 4-byte aligned token following a NUL-terminated string. */
static const u32 *skip_string(const u32 *p)
{
	size_t n = strlen((const char *)p) + 1;

	return (const u32 *)((const char *)p + ALIGN_UP(n, 4));
}

/*
 * next_prop - the property at @p (skipping NOPs) or NULL at the end of the
 * node's properties.  Sets *@next to the token after it.
 */
static const u32 *next_prop(const u32 *p, const u32 *end, const u32 **next)
{
	while (p < end && be32(p) == FDT_NOP)
		p++;
	if (p + 3 > end || be32(p) != FDT_PROP)
		return NULL;
	*next = (const u32 *)((const char *)(p + 3) + ALIGN_UP(be32(p + 1), 4));
	return p;
}

/*
 * riscv_fdt_prop - value of property @name of @node and its length in
 * *@len, or NULL if the node has no such property.
 */
const void *riscv_fdt_prop(const struct fdt_node *node, const char *name, u32 *len)
{
	const u32 *p = node->props, *next;

	while ((p = next_prop(p, node->struct_end, &next)) != NULL) {
		if (!strcmp(node->strings + be32(p + 2), name)) {
			if (len)
				*len = be32(p + 1);
			return p + 3;
		}
		p = next;
	}
	return NULL;
}

/* riscv_fdt_prop_is - true if string property @name equals @value. */
bool riscv_fdt_prop_is(const struct fdt_node *node, const char *name, const char *value)
{
	u32 len;
	const char *v = riscv_fdt_prop(node, name, &len);

	return v && len && !strncmp(v, value, len);
}

/* riscv_fdt_compatible - true if @compat is one of the node's compatibles. */
bool riscv_fdt_compatible(const struct fdt_node *node, const char *compat)
{
	u32 len, off = 0;
	const char *list = riscv_fdt_prop(node, "compatible", &len);

	while (list && off < len) {
		size_t n = strnlen(list + off, len - off);

		if (n < len - off && !strcmp(list + off, compat))
			return true;
		off += n + 1;
	}
	return false;
}

/* riscv_fdt_u32 - read a one-cell property: 0, or -ENOENT. */
int riscv_fdt_u32(const struct fdt_node *node, const char *name, u32 *val)
{
	u32 len;
	const u32 *v = riscv_fdt_prop(node, name, &len);

	if (!v || len < 4)
		return -ENOENT;
	*val = be32(v);
	return 0;
}

/* read_cells - a 1- or 2-cell number (more cells are not addresses we use). */
static u64 read_cells(const u32 *p, u32 cells)
{
	return cells == 2 ? be64(p) : cells == 1 ? be32(p) : 0;
}

/*
 * riscv_fdt_reg - the @i-th (base, size) pair of the node's reg property,
 * decoded with the parent's cell counts.  0, or -ENOENT past the last pair.
 */
int riscv_fdt_reg(const struct fdt_node *node, int i, u64 *base, u64 *size)
{
	u32 len, stride = node->addr_cells + node->size_cells;
	const u32 *reg = riscv_fdt_prop(node, "reg", &len);

	if (!reg || !stride || node->addr_cells > 2 || node->size_cells > 2 ||
	    (u32)(i + 1) * stride * 4 > len)
		return -ENOENT;
	reg += i * stride;
	*base = read_cells(reg, node->addr_cells);
	*size = read_cells(reg + node->addr_cells, node->size_cells);
	return 0;
}

/* riscv_fdt_memreserve - @i-th /memreserve/ entry: 0, or -ENOENT at the end. */
int riscv_fdt_memreserve(const void *dtb, int i, u64 *base, u64 *size)
{
	const struct fdt_header *h = dtb;
	const u64 *e = (const u64 *)((const char *)dtb + be32(&h->off_mem_rsvmap)) + 2 * i;

	*base = be64(&e[0]);
	*size = be64(&e[1]);
	return (*base || *size) ? 0 : -ENOENT;
}

/* node_cells - the #address-cells/#size-cells @node gives its children. */
static void node_cells(const struct fdt_node *node, u32 *addr, u32 *size)
{
	if (riscv_fdt_u32(node, "#address-cells", addr))
		*addr = FDT_DEFAULT_ADDR_CELLS;
	if (riscv_fdt_u32(node, "#size-cells", size))
		*size = FDT_DEFAULT_SIZE_CELLS;
}

/*
 * riscv_fdt_walk - call @fn for every node, parents before children.
 * Returns 0, or -EINVAL for a malformed blob (after visiting what came
 * before the damage).
 */
int riscv_fdt_walk(const void *dtb, fdt_node_fn fn, void *arg)
{
	const struct fdt_header *h = dtb;
	const u32 *p = (const u32 *)((const char *)dtb + be32(&h->off_dt_struct));
	const u32 *end = (const u32 *)((const char *)p + be32(&h->size_dt_struct));
	const char *names[FDT_MAX_DEPTH];
	u32 acells[FDT_MAX_DEPTH + 1], scells[FDT_MAX_DEPTH + 1];
	int depth = 0;		/* nodes currently open */

	acells[0] = FDT_DEFAULT_ADDR_CELLS;
	scells[0] = FDT_DEFAULT_SIZE_CELLS;
	while (p < end) {
		u32 tok = be32(p++);
		struct fdt_node node;
		const u32 *next;

		switch (tok) {
		case FDT_BEGIN_NODE:
			if (depth == FDT_MAX_DEPTH)
				return -EINVAL;
			node = (struct fdt_node){
				.name = (const char *)p, .depth = depth,
				.parent = depth ? names[depth - 1] : NULL,
				.addr_cells = acells[depth], .size_cells = scells[depth],
				.props = skip_string(p), .struct_end = end,
				.strings = (const char *)dtb + be32(&h->off_dt_strings),
			};
			names[depth] = node.name;
			node_cells(&node, &acells[depth + 1], &scells[depth + 1]);
			fn(&node, arg);
			depth++;
			p = node.props;
			break;
		case FDT_END_NODE:
			if (--depth < 0)
				return -EINVAL;
			break;
		case FDT_PROP:
			if (!next_prop(p - 1, end, &next))
				return -EINVAL;
			p = next;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return depth ? -EINVAL : 0;
		default:
			return -EINVAL;
		}
	}
	return -EINVAL;
}
