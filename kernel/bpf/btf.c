/*
 * btf.c - the kernel's embedded BTF (btf.h): parsed and indexed on first
 * use, then function prototypes turned into the register models
 * trampolines are built from.
 *
 * Parsed on first use rather than at boot: the ~21,000 types (20,000 of
 * them the generated functions') would cost every boot, and most boots
 * never ask.  The first use checks the header, walks every type once
 * (validating that each record lies inside the type section and that its
 * kind is known), records where each id starts (records have variable
 * length, so ids need an index) and puts every BTF_KIND_FUNC into an
 * open-addressing hash by name.  The index is never changed afterwards, so
 * lookups take no lock.  The BTF itself is read-only data (.rodata).
 */
#include "kernel.h"
#include "arch.h"
#include "ftrace.h"		/* ARCH_FTRACE_REG_ARGS */
#include "spinlock.h"
#include "btf.h"

_Static_assert(ARCH_FTRACE_REG_ARGS <= BTF_MAX_ARGS,
	       "BTF_MAX_ARGS must cover every argument register");

/* ---- the format (Linux's include/uapi/linux/btf.h) ---- */

#define BTF_MAGIC	0xeb9f
#define BTF_VERSION	1

struct btf_header {
	u16 magic;
	u8 version;
	u8 flags;
	u32 hdr_len;
	u32 type_off;	/* from the end of the header */
	u32 type_len;
	u32 str_off;	/* from the end of the header */
	u32 str_len;
};

/* Every type record starts so; kind-specific data follows (type_data_len). */
struct btf_type {
	u32 name_off;
	u32 info;	/* vlen bits 0-15, kind bits 24-28, kind_flag bit 31 */
	u32 size_type;	/* size for INT ENUM STRUCT UNION FLOAT ..., else a type id */
};

enum {
	KIND_UNKN, KIND_INT, KIND_PTR, KIND_ARRAY, KIND_STRUCT, KIND_UNION,
	KIND_ENUM, KIND_FWD, KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST,
	KIND_RESTRICT, KIND_FUNC, KIND_FUNC_PROTO, KIND_VAR, KIND_DATASEC,
	KIND_FLOAT, KIND_DECL_TAG, KIND_TYPE_TAG, KIND_ENUM64, NR_KINDS,
};

#define INT_ENCODING(v)		(((v) >> 24) & 0x0f)
#define INT_SIGNED		(1u << 0)
#define MEMBER_BITFIELD_SIZE(o)	((o) >> 24)	/* kind_flag structs only */
#define MEMBER_BIT_OFFSET(o)	((o) & 0xffffff)

struct btf_array { u32 type, index_type, nelems; };
struct btf_member { u32 name_off, type, offset; };
struct btf_param { u32 name_off, type; };

/* The fields of btf_type.info. */
static inline unsigned int kind_of(const struct btf_type *t) { return (t->info >> 24) & 0x1f; }
static inline unsigned int vlen_of(const struct btf_type *t) { return t->info & 0xffff; }
static inline bool kflag_of(const struct btf_type *t) { return t->info >> 31; }

extern const char __start_BTF[], __stop_BTF[];	/* the linker scripts */

/* ---- the parsed state ---- */

static struct {
	bool done;		/* parsed (or failed); set once, with release */
	int err;		/* 0, or why every lookup fails */
	char why[96];
	const u8 *types;
	u32 type_len;
	const char *strs;
	u32 str_len;
	u32 nr_types;		/* ids 1..nr_types; 0 is void */
	u32 *off;		/* off[id]: offset of type id in types */
	u32 *func_hash;		/* FUNC ids by name, 0 = empty slot */
	u32 hash_mask;
	struct btf_stats stats;
} btf;

static spinlock_t btf_lock = SPINLOCK_INIT;	/* serialises the first parse */

/*
 * type_data_len - bytes of kind-specific data after @t's header, or -1 for
 * a kind this parser does not know (the BTF is then refused whole: a record
 * of unknown length hides where the next one starts).
 */
static long type_data_len(const struct btf_type *t)
{
	unsigned long vlen = vlen_of(t);

	switch (kind_of(t)) {
	case KIND_INT: case KIND_VAR: case KIND_DECL_TAG:
		return 4;
	case KIND_PTR: case KIND_FWD: case KIND_TYPEDEF: case KIND_VOLATILE:
	case KIND_CONST: case KIND_RESTRICT: case KIND_FUNC: case KIND_FLOAT:
	case KIND_TYPE_TAG:
		return 0;
	case KIND_ARRAY:
		return sizeof(struct btf_array);
	case KIND_STRUCT: case KIND_UNION: case KIND_DATASEC: case KIND_ENUM64:
		return 12 * vlen;
	case KIND_ENUM: case KIND_FUNC_PROTO:
		return 8 * vlen;
	}
	return -1;
}

/* btf_str - the string at @off, "" for an offset outside the section. */
static const char *btf_str(u32 off)
{
	return off < btf.str_len ? btf.strs + off : "";
}

/* type_by_id - type @id, or NULL for void (0) and ids past the last type. */
static const struct btf_type *type_by_id(u32 id)
{
	if (id == 0 || id > btf.nr_types)
		return NULL;
	return (const struct btf_type *)(btf.types + btf.off[id]);
}

/* name_hash - FNV-1a over a NUL-terminated name. */
static u32 name_hash(const char *s)
{
	u32 h = 2166136261u;

	while (*s)
		h = (h ^ (u8)*s++) * 16777619u;
	return h;
}

/* fail - record why the BTF is unusable (-EOPNOTSUPP, or -ENOMEM); returns @err. */
static int fail(int err, const char *msg)
{
	snprintf(btf.why, sizeof(btf.why), "%s", msg);
	btf.err = err;
	return err;
}

/*
 * walk_types - go over every type record once.  With @index false, count
 * them (and the FUNCs); with it true, fill btf.off[] and btf.func_hash.
 * Returns 0, or -EOPNOTSUPP when a record runs past the section, has an
 * unknown kind, or a FUNC has a name outside the strings.
 */
static int walk_types(bool index)
{
	u32 pos = 0, id = 0;

	while (pos < btf.type_len) {
		const struct btf_type *t = (const void *)(btf.types + pos);
		long extra;

		if (btf.type_len - pos < sizeof(*t))
			return fail(-EOPNOTSUPP, "BTF type section ends inside a record");
		extra = type_data_len(t);
		if (extra < 0)
			return fail(-EOPNOTSUPP, "BTF has a type of unknown kind");
		if ((unsigned long)extra > btf.type_len - pos - sizeof(*t))
			return fail(-EOPNOTSUPP, "BTF type section ends inside a record");
		id++;
		if (index) {
			btf.off[id] = pos;
			if (kind_of(t) == KIND_FUNC) {
				u32 h = name_hash(btf_str(t->name_off)) & btf.hash_mask;

				while (btf.func_hash[h])
					h = (h + 1) & btf.hash_mask;
				btf.func_hash[h] = id;
			}
		} else if (kind_of(t) == KIND_FUNC) {
			if (t->name_off == 0 || t->name_off >= btf.str_len)
				return fail(-EOPNOTSUPP, "BTF has a function without a name");
			btf.stats.funcs++;
		} else if (kind_of(t) == KIND_FUNC_PROTO) {
			btf.stats.protos++;
		}
		pos += sizeof(*t) + extra;
	}
	btf.nr_types = id;
	return 0;
}

/*
 * btf_parse - check the header and the string section, then index the
 * types (two walks: count, allocate, fill).  Sets btf.err on failure.
 */
static int btf_parse(void)
{
	const struct btf_header *h = (const void *)__start_BTF;
	size_t size = __stop_BTF - __start_BTF, body;
	u32 hash_size = 2;

	btf.stats.bytes = size;
	if (size == 0)
		return fail(-EOPNOTSUPP, "the image has no BTF (its .BTF section is empty)");
	if (size < sizeof(*h) || h->magic != BTF_MAGIC || h->version != BTF_VERSION ||
	    h->hdr_len < sizeof(*h) || h->hdr_len > size)
		return fail(-EOPNOTSUPP, "the image's BTF has a bad header");
	body = size - h->hdr_len;
	if (h->type_off > body || h->type_len > body - h->type_off || h->type_off % 4 ||
	    h->str_off > body || h->str_len > body - h->str_off || h->str_len == 0)
		return fail(-EOPNOTSUPP, "the image's BTF has sections outside it");
	/* As Linux's btf_check_sec_info(): nothing unaccounted for at the end. */
	if (MAX(h->type_off + h->type_len, h->str_off + h->str_len) != body)
		return fail(-EOPNOTSUPP, "the image's BTF has bytes after its sections");
	btf.types = (const u8 *)__start_BTF + h->hdr_len + h->type_off;
	btf.type_len = h->type_len;
	btf.strs = __start_BTF + h->hdr_len + h->str_off;
	btf.str_len = h->str_len;
	btf.stats.str_bytes = h->str_len;
	if (btf.strs[0] || btf.strs[btf.str_len - 1])
		return fail(-EOPNOTSUPP, "the image's BTF strings are not NUL-terminated");

	if (walk_types(false))
		return btf.err;
	btf.stats.types = btf.nr_types;
	while (hash_size < btf.stats.funcs * 2)		/* load <= 1/2 */
		hash_size *= 2;
	btf.hash_mask = hash_size - 1;
	btf.off = kmalloc((btf.nr_types + 1) * sizeof(u32));
	btf.func_hash = kzalloc(hash_size * sizeof(u32));
	if (!btf.off || !btf.func_hash) {
		kfree(btf.off);
		kfree(btf.func_hash);
		btf.off = btf.func_hash = NULL;
		btf.nr_types = 0;		/* type_by_id() finds nothing */
		return fail(-ENOMEM, "no memory for the BTF index");
	}
	return walk_types(true);
}

/*
 * btf_ready - parse on first use.  Returns 0, or the error every lookup
 * then fails with, its reason in btf.why.  Callers may allocate (not from
 * tracing callbacks or interrupts); a second CPU arriving during the parse
 * waits for it.
 */
static int btf_ready(void)
{
	u64 t0;

	if (__atomic_load_n(&btf.done, __ATOMIC_ACQUIRE))
		return btf.err;
	spin_lock(&btf_lock);
	if (!btf.done) {
		t0 = arch_clock_ns();
		btf_parse();
		btf.stats.parse_ns = arch_clock_ns() - t0;
		if (btf.err)
			printk("btf: %s (%d)\n", btf.why, btf.err);
		__atomic_store_n(&btf.done, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&btf_lock);
	return btf.err;
}

/* ---- types ---- */

#define BTF_BROKEN_ID	0xffffffffu	/* resolve(): a chain that leads nowhere */

/*
 * resolve - follow typedef, const, volatile, restrict and type tags from
 * type @id to the type they name.  Returns its id: 0 for void,
 * BTF_BROKEN_ID for a chain that leads past the last type or loops
 * (type_by_id() gives NULL for both).  By value, not through a pointer to
 * the caller's parameter: gcc -pg on riscv64 spills an address-taken
 * parameter before the _mcount call, which mcount_sites.py refuses.
 */
static u32 resolve(u32 id)
{
	for (int hops = 0; hops < 32; hops++) {
		const struct btf_type *t = type_by_id(id);

		if (!t)
			return id ? BTF_BROKEN_ID : 0;
		switch (kind_of(t)) {
		case KIND_TYPEDEF: case KIND_CONST: case KIND_VOLATILE:
		case KIND_RESTRICT: case KIND_TYPE_TAG:
			id = t->size_type;
			continue;
		}
		return id;
	}
	return BTF_BROKEN_ID;
}

/* A string being built; pos counts what was needed, as snprintf does. */
struct sbuf {
	char *buf;
	size_t len, pos;
};

/* sb_add - append @s to @b (truncating, always NUL-terminated). */
static void sb_add(struct sbuf *b, const char *s)
{
	size_t room = b->pos < b->len ? b->len - b->pos : 0;

	b->pos += snprintf(room ? b->buf + b->pos : NULL, room, "%s", s);
}

/* sb_last - the last character appended, 0 if none (or truncated away). */
static char sb_last(const struct sbuf *b)
{
	return b->pos && b->pos < b->len ? b->buf[b->pos - 1] : 0;
}

static void type_str(struct sbuf *b, u32 id, int depth);

/* params_str - "(int, u64)", "(void)" or "(int, ...)" for FUNC_PROTO @t. */
static void params_str(struct sbuf *b, const struct btf_type *t, int depth)
{
	const struct btf_param *p = (const void *)(t + 1);

	sb_add(b, "(");
	if (!vlen_of(t))
		sb_add(b, "void");
	for (unsigned int i = 0; i < vlen_of(t); i++) {
		if (i)
			sb_add(b, ", ");
		if (!p[i].type && i == vlen_of(t) - 1)
			sb_add(b, "...");
		else
			type_str(b, p[i].type, depth + 1);
	}
	sb_add(b, ")");
}

/* tagged_str - "struct NAME" for STRUCT, UNION, ENUM and FWD types. */
static void tagged_str(struct sbuf *b, const struct btf_type *t)
{
	unsigned int k = kind_of(t);
	const char *name = btf_str(t->name_off);

	if (k == KIND_UNION || (k == KIND_FWD && kflag_of(t)))
		sb_add(b, "union ");
	else if (k == KIND_ENUM || k == KIND_ENUM64)
		sb_add(b, "enum ");
	else
		sb_add(b, "struct ");
	sb_add(b, *name ? name : "(anonymous)");
}

/*
 * type_str - append type @id as C spells it.  Qualifiers of a pointer
 * follow it ("char *const"); a function pointer is "RET (*)(ARGS)".
 * Depth-limited against malformed cycles.
 */
static void type_str(struct sbuf *b, u32 id, int depth)
{
	const struct btf_type *t = type_by_id(id);
	const struct btf_type *target;
	char num[16];

	if (id == 0) {
		sb_add(b, "void");
		return;
	}
	if (!t || depth > 8) {
		sb_add(b, "?");
		return;
	}
	switch (kind_of(t)) {
	case KIND_INT: case KIND_FLOAT: case KIND_TYPEDEF:
		sb_add(b, btf_str(t->name_off));
		return;
	case KIND_STRUCT: case KIND_UNION: case KIND_ENUM: case KIND_ENUM64: case KIND_FWD:
		tagged_str(b, t);
		return;
	case KIND_PTR:
		target = type_by_id(t->size_type);
		if (target && kind_of(target) == KIND_FUNC_PROTO) {
			type_str(b, target->size_type, depth + 1);
			sb_add(b, " (*)");
			params_str(b, target, depth);
			return;
		}
		type_str(b, t->size_type, depth + 1);
		sb_add(b, sb_last(b) == '*' ? "*" : " *");
		return;
	case KIND_CONST: case KIND_VOLATILE: case KIND_RESTRICT: {
		const char *q = kind_of(t) == KIND_CONST ? "const" :
				kind_of(t) == KIND_VOLATILE ? "volatile" : "restrict";

		target = type_by_id(t->size_type);
		if (target && kind_of(target) == KIND_PTR) {
			type_str(b, t->size_type, depth + 1);
			sb_add(b, " ");
			sb_add(b, q);
		} else {
			sb_add(b, q);
			sb_add(b, " ");
			type_str(b, t->size_type, depth + 1);
		}
		return;
	}
	case KIND_ARRAY: {
		const struct btf_array *a = (const void *)(t + 1);

		type_str(b, a->type, depth + 1);
		snprintf(num, sizeof(num), "[%u]", a->nelems);
		sb_add(b, num);
		return;
	}
	case KIND_FUNC_PROTO:
		type_str(b, t->size_type, depth + 1);
		sb_add(b, " ");
		params_str(b, t, depth);
		return;
	case KIND_TYPE_TAG:
		type_str(b, t->size_type, depth + 1);
		return;
	}
	sb_add(b, "?");
}

/*
 * decl_str - a declaration of @name with type @id: "char *s", "long x",
 * a function pointer with the name inside, "void (*sink)(const char *,
 * size_t)"; just the type when @name is "".
 */
static void decl_str(struct sbuf *b, u32 id, const char *name)
{
	const struct btf_type *t = type_by_id(id);
	const struct btf_type *target = t && kind_of(t) == KIND_PTR ?
					type_by_id(t->size_type) : NULL;

	if (*name && target && kind_of(target) == KIND_FUNC_PROTO) {
		type_str(b, target->size_type, 1);
		sb_add(b, " (*");
		sb_add(b, name);
		sb_add(b, ")");
		params_str(b, target, 1);
		return;
	}
	type_str(b, id, 0);
	if (*name) {
		if (sb_last(b) != '*')
			sb_add(b, " ");
		sb_add(b, name);
	}
}

/* btf_type_str - see btf.h; "?" for any id when the BTF is unusable. */
int btf_type_str(u32 type_id, char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	if (btf_ready() && type_id)
		sb_add(&b, "?");
	else
		type_str(&b, type_id, 0);
	return (int)b.pos;
}

/* btf_proto_str - see btf.h; @m came from btf_func_model(), so the BTF is parsed. */
int btf_proto_str(const struct btf_func_model *m, char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	decl_str(&b, m->ret.type, m->name);
	sb_add(&b, "(");
	if (!m->nr_args)
		sb_add(&b, "void");
	for (unsigned int i = 0; i < m->nr_args; i++) {
		if (i)
			sb_add(&b, ", ");
		decl_str(&b, m->args[i].type, m->args[i].name);
	}
	sb_add(&b, ")");
	return (int)b.pos;
}

/* ---- prototypes to models ---- */

static const char *member_problem(const struct btf_type *t, u32 bit_off, bool bitfield,
				  int depth);

/*
 * aggregate_problem - why struct/union @t, starting @bit_off bits into
 * the argument, cannot travel in integer registers as its bytes: a
 * floating point or 16-byte integer member, a member at an unaligned
 * offset (x86_64 passes such an aggregate in memory), or nesting past
 * 8 levels.  NULL when it can.
 */
static const char *aggregate_problem(const struct btf_type *t, u32 bit_off, int depth)
{
	const struct btf_member *m = (const void *)(t + 1);

	if (depth > 8)
		return "nests structs too deeply";
	for (unsigned int i = 0; i < vlen_of(t); i++) {
		u32 id = m[i].type, off = m[i].offset;
		bool bitfield = kflag_of(t) && MEMBER_BITFIELD_SIZE(off);
		const struct btf_type *mt;
		const char *why;

		if (kflag_of(t))
			off = MEMBER_BIT_OFFSET(off);
		mt = type_by_id(resolve(id));
		if (!mt)
			return "has a member of unknown type";
		why = member_problem(mt, bit_off + off, bitfield, depth);
		if (why)
			return why;
	}
	return NULL;
}

/* member_problem - aggregate_problem() for one member of (resolved) type @t. */
static const char *member_problem(const struct btf_type *t, u32 bit_off, bool bitfield,
				  int depth)
{
	const struct btf_array *a;
	u32 size;

	switch (kind_of(t)) {
	case KIND_INT: case KIND_ENUM: case KIND_ENUM64: case KIND_PTR:
		size = kind_of(t) == KIND_PTR ? sizeof(void *) : t->size_type;
		if (size > 8)
			return "holds a 16-byte integer";
		if (!bitfield && size && bit_off % (size * 8))
			return "has a member at an unaligned offset (x86_64 passes it in memory)";
		return NULL;
	case KIND_FLOAT:
		return "holds floating point";
	case KIND_STRUCT: case KIND_UNION:
		return aggregate_problem(t, bit_off, depth + 1);
	case KIND_ARRAY:
		a = (const void *)(t + 1);
		t = type_by_id(resolve(a->type));
		if (!t)
			return "has a member of unknown type";
		return a->nelems ? member_problem(t, bit_off, false, depth + 1) : NULL;
	}
	return "has a member of a kind registers cannot hold";
}

/*
 * classify - fill @a's size, flags and slot count from type @id (a
 * parameter's, or the return type's when @is_ret).  Returns 0, or
 * -EOPNOTSUPP with the reason, a predicate such as "is floating point",
 * in @reason.
 */
static int classify(u32 id, bool is_ret, struct btf_arg *a, char *reason, size_t rlen)
{
	u32 rid = resolve(id);
	const struct btf_type *t = type_by_id(rid);
	const char *what, *why;

	a->nr_regs = 1;
	if (!t) {
		if (rid == 0 && is_ret) {
			a->size = a->nr_regs = 0;
			return 0;
		}
		snprintf(reason, rlen, "has a type missing from the BTF");
		return -EOPNOTSUPP;
	}
	switch (kind_of(t)) {
	case KIND_INT: case KIND_ENUM: case KIND_ENUM64:
		a->size = t->size_type;
		if (kind_of(t) == KIND_INT ? INT_ENCODING(*(const u32 *)(t + 1)) & INT_SIGNED :
					     kflag_of(t))
			a->flags |= BTF_ARG_SIGNED;
		if (a->size == 0 || a->size > 8) {
			snprintf(reason, rlen, "is a %u-byte integer (register pairs are not modelled)",
				 a->size);
			return -EOPNOTSUPP;
		}
		return 0;
	case KIND_PTR:
		a->size = sizeof(void *);
		a->flags |= BTF_ARG_PTR;
		return 0;
	case KIND_STRUCT: case KIND_UNION:
		what = kind_of(t) == KIND_STRUCT ? "struct" : "union";
		a->flags |= BTF_ARG_STRUCT;
		if (is_ret)
			snprintf(reason, rlen, "is a %s returned by value", what);
		else if (t->size_type == 0)
			snprintf(reason, rlen, "is an empty %s passed by value", what);
		else if (t->size_type > 16)
			snprintf(reason, rlen,
				 "is a %s of %u bytes passed by value, wider than two registers",
				 what, t->size_type);
		else if ((why = aggregate_problem(t, 0, 0)))
			snprintf(reason, rlen, "is a %s passed by value that %s", what, why);
		else {
			a->size = t->size_type;
			a->nr_regs = (a->size + 7) / 8;
			return 0;
		}
		return -EOPNOTSUPP;
	case KIND_FLOAT:
		snprintf(reason, rlen, "is floating point");
		return -EOPNOTSUPP;
	}
	snprintf(reason, rlen, "has a type registers cannot hold (BTF kind %u)", kind_of(t));
	return -EOPNOTSUPP;
}

/* params_of - the parameter list that follows FUNC_PROTO @p. */
static const struct btf_param *params_of(const struct btf_type *p)
{
	return (const void *)(p + 1);
}

/*
 * fill_model - the model of FUNC @func_id at @addr: the return value, then
 * each parameter's slots in order, then the register budget.  0, or
 * -EOPNOTSUPP with "NAME: why" in @why.
 */
static int fill_model(u32 func_id, unsigned long addr, struct btf_func_model *m,
		      char *why, size_t whylen)
{
	const struct btf_type *f = type_by_id(func_id), *p = type_by_id(f->size_type);
	const char *name = btf_str(f->name_off);
	const struct btf_param *params;
	char reason[128], type[96];
	unsigned int n, slots = 0;

	memset(m, 0, sizeof(*m));
	m->name = name;
	m->addr = addr;
	m->func_id = func_id;
	if (!p || kind_of(p) != KIND_FUNC_PROTO) {
		snprintf(why, whylen, "%s: its BTF function has no prototype", name);
		return -EOPNOTSUPP;
	}
	params = params_of(p);
	n = vlen_of(p);
	if (n && params[n - 1].type == 0) {
		snprintf(why, whylen, "%s: is variadic (arguments past the fixed ones have no type)",
			 name);
		return -EOPNOTSUPP;
	}
	m->ret.type = p->size_type;
	m->ret.name = "";
	if (classify(p->size_type, true, &m->ret, reason, sizeof(reason))) {
		btf_type_str(p->size_type, type, sizeof(type));
		snprintf(why, whylen, "%s: return value (%s) %s", name, type, reason);
		return -EOPNOTSUPP;
	}
	if (n > BTF_MAX_ARGS) {
		snprintf(why, whylen, "%s: %u arguments, more than the %u %s passes in registers "
			 "(stack arguments are not supported)", name, n, ARCH_FTRACE_REG_ARGS,
			 arch_name());
		return -EOPNOTSUPP;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct btf_arg *a = &m->args[i];

		a->type = params[i].type;
		a->name = btf_str(params[i].name_off);
		a->reg = slots;
		if (classify(a->type, false, a, reason, sizeof(reason))) {
			struct sbuf b = { type, sizeof(type), 0 };

			decl_str(&b, a->type, a->name);
			snprintf(why, whylen, "%s: argument %u (%s) %s", name, i, type, reason);
			return -EOPNOTSUPP;
		}
		slots += a->nr_regs;
	}
	if (slots > ARCH_FTRACE_REG_ARGS) {
		snprintf(why, whylen, "%s: %u arguments in %u registers, more than the %u %s "
			 "passes in registers (stack arguments are not supported)",
			 name, n, slots, ARCH_FTRACE_REG_ARGS, arch_name());
		return -EOPNOTSUPP;
	}
	m->nr_args = n;
	m->nr_regs = slots;
	return 0;
}

/*
 * find_func - the FUNC named @name.  Returns its id, 0 when there is none,
 * or -1 when several FUNCs of that name have different prototypes (static
 * functions of one name in two files; pahole shares identical prototypes).
 */
static long find_func(const char *name)
{
	u32 h = name_hash(name) & btf.hash_mask, id, found = 0;

	while ((id = btf.func_hash[h])) {
		const struct btf_type *t = type_by_id(id);

		if (!strcmp(btf_str(t->name_off), name)) {
			if (found && type_by_id(found)->size_type != t->size_type)
				return -1;
			found = id;
		}
		h = (h + 1) & btf.hash_mask;
	}
	return found;
}

/*
 * btf_func_model - see btf.h.  kallsyms decides whether the function
 * exists (-ENOENT); everything after that is -EOPNOTSUPP, which is what an
 * attach reports for a function it cannot serve.
 */
int btf_func_model(const char *name, struct btf_func_model *m, char *why, size_t whylen)
{
	unsigned long addr = kallsyms_lookup_name(name, NULL);
	int err;
	long id;

	if (!addr) {
		snprintf(why, whylen, "%s: no such function", name);
		return -ENOENT;
	}
	err = btf_ready();
	if (err) {
		snprintf(why, whylen, "%s: %s", name, btf.why);
		return err == -ENOMEM ? err : -EOPNOTSUPP;
	}
	id = find_func(name);
	if (id < 0) {
		snprintf(why, whylen, "%s: BTF has several functions of that name, with "
			 "different prototypes", name);
		return -EOPNOTSUPP;
	}
	if (!id) {
		snprintf(why, whylen, "%s: no BTF prototype (assembly, or a copy the compiler "
			 "made of a C function)", name);
		return -EOPNOTSUPP;
	}
	return fill_model(id, addr, m, why, whylen);
}

/* btf_func_model_addr - see btf.h: by the kallsyms name of @addr's function. */
int btf_func_model_addr(unsigned long addr, struct btf_func_model *m, char *why,
			size_t whylen)
{
	unsigned long start;
	const char *name = kallsyms_lookup(addr, &start, NULL);

	/* Pool trampolines have names too, but no kallsyms entry by name. */
	if (!name || kallsyms_lookup_name(name, NULL) != start) {
		snprintf(why, whylen, "0x%lx: in no kernel function", addr);
		return -ENOENT;
	}
	return btf_func_model(name, m, why, whylen);
}

/* btf_get_stats - see btf.h; parses the BTF if nothing has yet. */
int btf_get_stats(struct btf_stats *s, char *why, size_t whylen)
{
	int err = btf_ready();

	*s = btf.stats;
	if (err) {
		snprintf(why, whylen, "%s", btf.why);
		return err == -ENOMEM ? err : -EOPNOTSUPP;
	}
	return 0;
}
