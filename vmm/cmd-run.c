// SPDX-License-Identifier: MIT
/*
 * `zvmm run`: build the configuration from defaults, config file and
 * command line (in that order of precedence, lowest first), pick the
 * accelerator, load the guest image, and run the VM.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "accel.h"
#include "cmd.h"
#include "config.h"
#include "control.h"
#include "guest-mem.h"
#include "loader.h"
#include "log.h"
#include "migrate.h"
#include "seccomp-filter.h"
#include "status.h"
#include "vm.h"

#define MAX_CLI_SETTINGS 64

/* A command-line option and the config key it sets. */
struct cli_option {
	const char *name;
	int has_arg;
	int short_opt;
	const char *section;
	const char *key;
};

enum { OPT_CONFIG = 256, OPT_FIRST_KEYED };

static const struct cli_option cli_options[] = {
	{ "memory", required_argument, 'm', "machine", "memory" },
	{ "cpus", required_argument, 'c', "machine", "cpus" },
	{ "append", required_argument, 'a', "boot", "append" },
	{ "name", required_argument, 0, "machine", "name" },
	{ "uuid", required_argument, 0, "machine", "uuid" },
	{ "accel", required_argument, 0, "machine", "accel" },
	{ "control", required_argument, 0, "control", "socket" },
	{ "incoming", required_argument, 0, "migration", "incoming" },
	{ "trace", required_argument, 0, "log", "trace" },
	{ "quiet", no_argument, 'q', "log", "quiet" },
	{ "seccomp", required_argument, 0, "machine", "seccomp" },
};
#define N_CLI_OPTIONS (sizeof(cli_options) / sizeof(cli_options[0]))

struct cli_setting {
	const struct cli_option *opt;
	const char *value;
};

struct run_args {
	const char *config_path;
	const char *kernel;
	unsigned nsettings;
	struct cli_setting settings[MAX_CLI_SETTINGS];
};

static int option_value(unsigned i)
{
	return cli_options[i].short_opt ? cli_options[i].short_opt :
					  OPT_FIRST_KEYED + (int)i;
}

static const struct cli_option *option_by_value(int val)
{
	for (unsigned i = 0; i < N_CLI_OPTIONS; i++)
		if (option_value(i) == val)
			return &cli_options[i];
	return NULL;
}

/* Returns 0, 1 after --help, or -EINVAL after a logged usage error. */
static int run_parse_argv(int argc, char **argv, struct run_args *args)
{
	struct option longopts[N_CLI_OPTIONS + 4];
	unsigned n = 0;
	int c;

	for (unsigned i = 0; i < N_CLI_OPTIONS; i++)
		longopts[n++] = (struct option){ cli_options[i].name,
						 cli_options[i].has_arg, NULL,
						 option_value(i) };
	longopts[n++] = (struct option){ "config", required_argument, NULL,
					 OPT_CONFIG };
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n] = (struct option){ 0 };

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":m:c:a:qh", longopts, NULL)) != -1) {
		const struct cli_option *opt = option_by_value(c);

		if (c == 'h')
			return 1;
		if (c == OPT_CONFIG) {
			args->config_path = optarg;
		} else if (opt) {
			if (args->nsettings == MAX_CLI_SETTINGS) {
				log_error("too many options");
				return -EINVAL;
			}
			args->settings[args->nsettings++] = (struct cli_setting){
				opt, opt->has_arg ? optarg : "true" };
		} else if (c == ':') {
			log_error("option %s needs a value", argv[optind - 1]);
			return -EINVAL;
		} else {
			log_error("unknown option %s (try zvmm --help)",
				  argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc)
		args->kernel = argv[optind++];
	if (optind < argc) {
		log_error("unexpected argument '%s' after the kernel",
			  argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static int run_build_config(const struct run_args *args,
			    struct zvmm_config *cfg)
{
	char err[256];

	config_defaults(cfg);
	if (args->config_path && config_load_file(cfg, args->config_path))
		return -EINVAL;
	for (unsigned i = 0; i < args->nsettings; i++) {
		const struct cli_setting *s = &args->settings[i];

		if (config_set(cfg, s->opt->section, s->opt->key, s->value, err,
			       sizeof(err))) {
			log_error("--%s: %s", s->opt->name, err);
			return -EINVAL;
		}
	}
	if (args->kernel &&
	    config_set(cfg, "boot", "kernel", args->kernel, err, sizeof(err))) {
		log_error("kernel: %s", err);
		return -EINVAL;
	}
	if (cfg->incoming[0] && cfg->kernel[0]) {
		log_error("--incoming: the guest comes from the stream; give no kernel");
		return -EINVAL;
	}
	if (!cfg->kernel[0] && !cfg->incoming[0]) {
		log_error("no kernel given: zvmm run [OPTIONS] KERNEL.elf");
		return -EINVAL;
	}
	return 0;
}

static int run_load_guest(const struct zvmm_config *cfg, struct guest_mem *gm,
			  struct elf_image *img)
{
	char err[256];
	int ret;

	ret = elf_load_file(cfg->kernel, gm->base, gm->size, img);
	if (ret)
		return ret;
	if (!cfg->append[0])
		return 0;
	if (!img->linux_image) {
		log_warn("--append ignored: %s is not a Linux image (QEMU ignores it too)",
			 cfg->kernel);
		return 0;
	}
	ret = elf_set_cmdline(img, gm->base, gm->size, cfg->append, err,
			      sizeof(err));
	if (ret)
		log_error("--append: %s", err);
	return ret;
}

static int status_for_load_error(int err)
{
	switch (err) {
	case -ENOENT:
	case -EACCES:
	case -EISDIR:
		return ZVMM_EXIT_NOINPUT;
	case -ENOMEM:
		return ZVMM_EXIT_OSERR;
	default:
		return ZVMM_EXIT_DATAERR;
	}
}

/* Bring the VM up, run it to its end, and return zvmm's exit status. */
static int run_boot(const struct zvmm_config *cfg, int seccomp_mode,
		    enum accel_kind accel, struct guest_mem *gm,
		    struct elf_image *img)
{
	static struct vm vm;
	static struct control ctl;
	int ret;

	ret = vm_create(&vm, cfg, accel, gm, img);
	if (ret) {
		vm_destroy(&vm);
		return ret == -ENOMEM ? ZVMM_EXIT_OSERR : ZVMM_EXIT_UNAVAILABLE;
	}
	if (cfg->control[0]) {
		ret = control_open(&ctl, cfg->control);
		if (ret) {
			vm_destroy(&vm);
			return ret == -EEXIST || ret == -EADDRINUSE ?
				ZVMM_EXIT_USAGE : ZVMM_EXIT_OSERR;
		}
		vm.control = &ctl;
	}
	if (seccomp_apply(seccomp_mode)) {
		if (vm.control)
			control_close(&ctl);
		vm_destroy(&vm);
		return ZVMM_EXIT_UNAVAILABLE;
	}
	ret = vm_run(&vm);
	if (vm.control)
		control_close(&ctl);
	if (vm.stuck)
		_exit(ret);	/* a vCPU thread still uses the VM and memory */
	/*
	 * No vm_destroy(): zvmm exits now, and the kernel takes the VM and
	 * guest memory back faster than freeing them piece by piece (every
	 * munmap of a vCPU's caches is a TLB shootdown); about 0.5 ms of the
	 * 5 ms that hello takes from start to exit.
	 */
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run_args args = { 0 };
	static struct zvmm_config cfg;
	struct guest_mem gm = { 0 };
	struct elf_image img;
	enum accel_kind accel;
	int ret;

	ret = run_parse_argv(argc, argv, &args);
	if (ret > 0) {
		usage_print(stdout);
		return ZVMM_EXIT_OK;
	}
	if (ret < 0 || run_build_config(&args, &cfg))
		return ZVMM_EXIT_USAGE;
	log_set_quiet(cfg.quiet);
	if (cfg.incoming[0])
		return migrate_in_run(&cfg, cfg.seccomp);
	if (accel_select(cfg.accel, KVM_DEVICE_PATH, &accel))
		return ZVMM_EXIT_UNAVAILABLE;
	if (guest_mem_alloc(&gm, cfg.mem_size))
		return ZVMM_EXIT_OSERR;
	ret = run_load_guest(&cfg, &gm, &img);
	if (ret) {
		guest_mem_free(&gm);
		return status_for_load_error(ret);
	}
	guest_mem_want_huge(&gm);
	log_info("loaded %s: %u segment(s), start 0x%llx, %llu MiB, %u vCPU(s), accel %s",
		 cfg.kernel, img.nsegs, (unsigned long long)img.start_addr,
		 (unsigned long long)(cfg.mem_size >> 20), cfg.cpus,
		 accel_name(accel));
	/* run_boot() leaves the memory to the process's exit */
	return run_boot(&cfg, cfg.seccomp, accel, &gm, &img);
}
