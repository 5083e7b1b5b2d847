/*
 * bpf_stress.c - `bpf_stress [ROUNDS]`: attach and detach trampolines while
 * every other CPU calls the traced function in a loop and checks each
 * result.  Each round attaches `count` as fentry, fexit and fmod_ret (it
 * returns 0, so the body still runs) to bpf_stress_target, one link at a
 * time, each detached after a few milliseconds: trampolines are generated,
 * switched call -> call and freed under load.  A trampoline freed while a
 * CPU is still inside it would crash that CPU (the pool's fill traps), a
 * wrong trampoline would give a wrong result.  One key=value line.
 */
#include "kernel.h"
#include "arch.h"
#include "percpu.h"
#include "bpf.h"
#include "shell.h"
#include "smp.h"

long bpf_stress_target(long x);

static long (*volatile target)(long) = bpf_stress_target;
static volatile bool stop;
static unsigned long calls[MAX_CPUS], wrong[MAX_CPUS];

static void worker(void *unused)
{
	unsigned int cpu = arch_cpu_id();

	for (long x = cpu * 1000000L; !READ_ONCE(stop); x++) {
		if (target(x) != 3 * x + 1)
			wrong[cpu]++;
		calls[cpu]++;
		cpu_quiescent();
	}
}

static void wait_ms(unsigned long ms)
{
	u64 end = arch_clock_ns() + ms * 1000000ULL;

	while (arch_clock_ns() < end) {
		cpu_quiescent();
		arch_cpu_relax();
	}
}

static int cmd_bpf_stress(int argc, char **argv)
{
	static const enum bpf_kind kinds[] = { BPF_FENTRY, BPF_FEXIT, BPF_MODIFY_RETURN };
	const struct bpf_prog *count = bpf_prog_find("count");
	unsigned long rounds = 20, total = 0, bad = 0, workers = 0, attached = 0;
	char why[160] = "";
	int err = 0;

	if (argc > 2 || (argc == 2 && (kstrtoul(argv[1], &rounds) || !rounds || rounds > 100000)))
		return cmd_err(-EINVAL, "usage: bpf_stress [ROUNDS]");
	if (num_online_cpus() < 2)
		return cmd_err(-ENODEV, "bpf_stress: needs at least two CPUs");
	memset(calls, 0, sizeof(calls));
	memset(wrong, 0, sizeof(wrong));
	WRITE_ONCE(stop, false);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c) && !smp_run_on(c, worker, NULL))
			workers++;
	for (unsigned long r = 0; r < rounds && !err; r++)
		for (size_t k = 0; k < ARRAY_SIZE(kinds) && !err; k++) {
			int id = bpf_attach(count, kinds[k], "bpf_stress_target", 0, why, sizeof(why));

			if (id < 0) {
				err = id;
				break;
			}
			attached++;
			wait_ms(2);
			err = bpf_detach(id, why, sizeof(why));
		}
	WRITE_ONCE(stop, true);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c))
			smp_wait_idle(c);
	if (err)
		return cmd_err(err, "bpf_stress: attach/detach failed: %s", why[0] ? why : errno_name(err));
	for (unsigned int c = 0; c < MAX_CPUS; c++) {
		total += calls[c];
		bad += wrong[c];
	}
	printk_raw("bpf_stress: rounds=%lu workers=%lu links=%lu calls=%lu wrong=%lu %s\n",
		   rounds, workers, attached, total, bad, !bad && total ? "ok" : "FAIL");
	return bad || !total ? -EIO : 0;
}

static const struct shell_cmd bpf_stress_cmds[] = {
	{ "bpf_stress", "[ROUNDS]", "attach and detach trampolines while other CPUs call", cmd_bpf_stress },
	{ NULL, NULL, NULL, NULL },
};

void bpf_stress_init(void)
{
	shell_register_cmds(bpf_stress_cmds);
}
