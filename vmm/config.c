// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "config.h"
#include "log.h"
#include "parse.h"
#include "seccomp-filter.h"
#include "trace.h"

typedef int (*config_setter)(struct zvmm_config *cfg, const char *value,
			     char *err, size_t errlen);

static void errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int copy_string(char *dst, size_t size, const char *value,
		       char *err, size_t errlen)
{
	size_t len = strlen(value);

	if (len >= size) {
		errf(err, errlen, "too long (%zu bytes, at most %zu)",
		     len, size - 1);
		return -ERANGE;
	}
	memcpy(dst, value, len + 1);
	return 0;
}

static int set_memory(struct zvmm_config *cfg, const char *value,
		      char *err, size_t errlen)
{
	uint64_t size;
	int ret = parse_size(value, &size);

	if (ret) {
		errf(err, errlen, "'%s' is not a size (examples: 128M, 1G)",
		     value);
		return ret;
	}
	if (size == 0 || size % ZVMM_MEM_ALIGN) {
		errf(err, errlen, "'%s' is not a non-zero multiple of 1 MiB",
		     value);
		return -EINVAL;
	}
	if (size > ZVMM_MEM_MAX) {
		errf(err, errlen, "'%s' is more than the maximum of %llu GiB",
		     value, ZVMM_MEM_MAX >> 30);
		return -ERANGE;
	}
	cfg->mem_size = size;
	cfg->mem_given = true;
	return 0;
}

static int set_cpus(struct zvmm_config *cfg, const char *value,
		    char *err, size_t errlen)
{
	uint64_t n;
	int ret = parse_uint(value, 1, ZVMM_MAX_CPUS, &n);

	if (ret) {
		errf(err, errlen, "'%s' is not a CPU count from 1 to %d",
		     value, ZVMM_MAX_CPUS);
		return ret;
	}
	cfg->cpus = (unsigned)n;
	return 0;
}

static int set_accel(struct zvmm_config *cfg, const char *value,
		     char *err, size_t errlen)
{
	static const enum accel_kind kinds[] = { ACCEL_AUTO, ACCEL_KVM,
						 ACCEL_SOFT };

	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(value, accel_name(kinds[i]))) {
			cfg->accel = kinds[i];
			return 0;
		}
	}
	errf(err, errlen, "'%s' is not one of auto, kvm, soft", value);
	return -EINVAL;
}

static int set_name(struct zvmm_config *cfg, const char *value,
		    char *err, size_t errlen)
{
	/* STSI reports the name in EBCDIC and UTF-8: keep it printable. */
	for (const char *p = value; *p; p++) {
		if (*p < 0x20 || *p > 0x7e) {
			errf(err, errlen,
			     "contains a character that is not printable ASCII");
			return -EINVAL;
		}
	}
	if (!*value) {
		errf(err, errlen, "is empty");
		return -EINVAL;
	}
	return copy_string(cfg->name, sizeof(cfg->name), value, err, errlen);
}

static int set_uuid(struct zvmm_config *cfg, const char *value,
		    char *err, size_t errlen)
{
	if (parse_uuid(value, cfg->uuid)) {
		errf(err, errlen,
		     "'%s' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
		     value);
		return -EINVAL;
	}
	cfg->have_uuid = true;
	return 0;
}

static int set_kernel(struct zvmm_config *cfg, const char *value,
		      char *err, size_t errlen)
{
	return copy_string(cfg->kernel, sizeof(cfg->kernel), value, err, errlen);
}

static int set_append(struct zvmm_config *cfg, const char *value,
		      char *err, size_t errlen)
{
	return copy_string(cfg->append, sizeof(cfg->append), value, err, errlen);
}

static int set_control(struct zvmm_config *cfg, const char *value,
		       char *err, size_t errlen)
{
	/* sockaddr_un.sun_path holds 108 bytes including the NUL. */
	if (!*value || strlen(value) > 107) {
		errf(err, errlen, "a socket path needs 1 to 107 bytes");
		return -EINVAL;
	}
	return copy_string(cfg->control, sizeof(cfg->control), value, err,
			   errlen);
}

static int check_host_port(const char *hp, char *err, size_t errlen)
{
	const char *colon = strrchr(hp, ':');
	uint64_t port;

	if (!colon || colon == hp ||
	    parse_uint(colon + 1, 1, 65535, &port)) {
		errf(err, errlen, "tcp: needs HOST:PORT with a port 1-65535");
		return -EINVAL;
	}
	return 0;
}

static int set_incoming(struct zvmm_config *cfg, const char *value,
			char *err, size_t errlen)
{
	if (!strncmp(value, "tcp:", 4)) {
		if (check_host_port(value + 4, err, errlen))
			return -EINVAL;
	} else if (!strncmp(value, "unix:", 5) || !strncmp(value, "file:", 5)) {
		if (!value[5]) {
			errf(err, errlen, "'%s' names no path", value);
			return -EINVAL;
		}
	} else {
		errf(err, errlen,
		     "'%s' is not unix:PATH, tcp:HOST:PORT or file:PATH", value);
		return -EINVAL;
	}
	return copy_string(cfg->incoming, sizeof(cfg->incoming), value, err,
			   errlen);
}

static const struct {
	const char *name;
	unsigned bits;
} trace_names[] = {
	{ "exits", TRACE_EXIT },
	{ "exit", TRACE_EXIT },
	{ "ioctls", TRACE_IOCTL },
	{ "ioctl", TRACE_IOCTL },
	{ "sclp", TRACE_SCLP },
	{ "sigp", TRACE_SIGP },
	{ "diag", TRACE_DIAG },
	{ "irq", TRACE_IRQ },
	{ "stsi", TRACE_STSI },
	{ "migrate", TRACE_MIGRATE },
	{ "control", TRACE_CONTROL },
	{ "all", TRACE_ALL },
};

static int trace_lookup(const char *word, size_t len, unsigned *bits)
{
	for (unsigned i = 0; i < sizeof(trace_names) / sizeof(trace_names[0]);
	     i++) {
		if (strlen(trace_names[i].name) == len &&
		    !strncmp(trace_names[i].name, word, len)) {
			*bits |= trace_names[i].bits;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * The categories also go straight to trace_enable(): hv_ioctl() has no VM
 * to ask, and the bring-up ioctls come before there is one. The last
 * layer that sets the key wins, as for every key.
 */
static int set_trace(struct zvmm_config *cfg, const char *value,
		     char *err, size_t errlen)
{
	unsigned bits = 0;
	const char *p = value;

	if (!*value) {
		cfg->trace = 0;
		trace_enable(0);
		return 0;
	}
	for (;;) {
		size_t len = strcspn(p, ",");

		if (trace_lookup(p, len, &bits)) {
			errf(err, errlen,
			     "unknown trace category '%.*s' (known: exits, ioctls, sclp, sigp, irq, diag, stsi, migrate, control, all)",
			     (int)len, p);
			return -EINVAL;
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	cfg->trace = bits;
	trace_enable(bits);
	return 0;
}

static int set_quiet(struct zvmm_config *cfg, const char *value,
		     char *err, size_t errlen)
{
	if (parse_bool(value, &cfg->quiet)) {
		errf(err, errlen, "'%s' is not a boolean (true/false)", value);
		return -EINVAL;
	}
	return 0;
}

static int set_seccomp(struct zvmm_config *cfg, const char *value,
		       char *err, size_t errlen)
{
	int mode = seccomp_parse_mode(value);

	if (mode < 0) {
		errf(err, errlen, "'%s' is not one of auto, on, off", value);
		return -EINVAL;
	}
	cfg->seccomp = mode;
	return 0;
}

static const struct config_key {
	const char *section;
	const char *key;
	config_setter set;
} config_keys[] = {
	{ "machine", "memory", set_memory },
	{ "machine", "cpus", set_cpus },
	{ "machine", "accel", set_accel },
	{ "machine", "name", set_name },
	{ "machine", "uuid", set_uuid },
	{ "machine", "seccomp", set_seccomp },
	{ "boot", "kernel", set_kernel },
	{ "boot", "append", set_append },
	{ "control", "socket", set_control },
	{ "migration", "incoming", set_incoming },
	{ "log", "trace", set_trace },
	{ "log", "quiet", set_quiet },
};

const char *accel_name(enum accel_kind accel)
{
	switch (accel) {
	case ACCEL_AUTO:
		return "auto";
	case ACCEL_KVM:
		return "kvm";
	case ACCEL_SOFT:
		return "soft";
	}
	return "?";
}

void config_defaults(struct zvmm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = ZVMM_MEM_DEFAULT;
	cfg->cpus = 1;
	cfg->accel = ACCEL_AUTO;
}

int config_set(struct zvmm_config *cfg, const char *section, const char *key,
	       const char *value, char *err, size_t errlen)
{
	bool section_known = false;

	for (unsigned i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]);
	     i++) {
		if (strcmp(config_keys[i].section, section))
			continue;
		section_known = true;
		if (!strcmp(config_keys[i].key, key))
			return config_keys[i].set(cfg, value, err, errlen);
	}
	if (section_known)
		errf(err, errlen, "unknown key '%s' in section [%s]", key,
		     section);
	else if (!*section)
		errf(err, errlen, "key '%s' is outside any section", key);
	else
		errf(err, errlen, "unknown section [%s]", section);
	return -ENOENT;
}

struct ini_state {
	struct zvmm_config *cfg;
	FILE *file;
	int line;		/* lines read so far */
	int err_line;		/* line of the first rejected value, or 0 */
	int long_line;		/* line that exceeds inih's buffer, or 0 */
	char err[256];
};

/*
 * inih reads lines through this so that we know which line a key is on
 * (Debian builds inih without INI_HANDLER_LINENO) and can refuse lines
 * longer than its fixed buffer instead of letting it split them.
 */
static char *ini_read_line(char *buf, int size, void *stream)
{
	struct ini_state *st = stream;
	size_t len;

	if (!fgets(buf, size, st->file))
		return NULL;
	st->line++;
	len = strlen(buf);
	if (len == (size_t)size - 1 && buf[len - 1] != '\n' && !feof(st->file)) {
		st->long_line = st->line;
		return NULL;
	}
	return buf;
}

static int config_ini_key(void *user, const char *section, const char *key,
		       const char *value)
{
	struct ini_state *st = user;
	char err[200];
	int ret;

	ret = config_set(st->cfg, section, key, value, err, sizeof(err));
	if (!ret)
		return 1;
	if (!st->err_line) {
		st->err_line = st->line;
		if (ret == -ENOENT)
			snprintf(st->err, sizeof(st->err), "%s", err);
		else
			snprintf(st->err, sizeof(st->err), "[%s] %s: %s",
				 section, key, err);
	}
	return 0;
}

int config_load_file(struct zvmm_config *cfg, const char *path)
{
	struct ini_state st = { .cfg = cfg };
	struct stat sb;
	int line, read_failed;

	st.file = fopen(path, "r");
	if (!st.file) {
		int e = errno;

		log_error("config %s: %s", path, strerror(e));
		return -e;
	}
	if (fstat(fileno(st.file), &sb) || !S_ISREG(sb.st_mode)) {
		log_error("config %s: not a regular file", path);
		fclose(st.file);
		return -EINVAL;
	}
	line = ini_parse_stream(ini_read_line, &st, config_ini_key, &st);
	read_failed = ferror(st.file);
	fclose(st.file);
	if (read_failed) {
		log_error("config %s: read error", path);
		return -EIO;
	}
	if (st.long_line) {
		log_error("%s:%d: line longer than %d bytes", path, st.long_line,
			  INI_MAX_LINE - 2);
		return -EINVAL;
	}
	if (line == 0)
		return 0;
	if (line < 0) {
		log_error("config %s: cannot parse (out of memory)", path);
		return -ENOMEM;
	}
	if (st.err_line == line)
		log_error("%s:%d: %s", path, line, st.err);
	else
		log_error("%s:%d: syntax error (expected [section], key = value or a comment)",
			  path, line);
	return -EINVAL;
}
