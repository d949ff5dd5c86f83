// SPDX-License-Identifier: MIT
/* The ELF loader against well-formed and malformed images built here. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "bswap.h"
#include "loader.h"

#define MEM_SIZE	(2u << 20)
#define FILE_SIZE	8192

struct phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

struct elf_spec {
	uint8_t class, data, version;
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
	struct phdr ph[4];
};

static uint8_t file[FILE_SIZE];
static uint8_t *mem;
static struct elf_image img;
static char err[256];

/* One text segment at 0x20000 holding 0x100 bytes of 0xAB, 0x200 of BSS. */
static struct elf_spec good(void)
{
	return (struct elf_spec){
		.class = 2, .data = 2, .version = 1, .type = 2, .machine = 22,
		.phentsize = 56, .phnum = 1, .entry = 0x20000, .phoff = 64,
		.ph = { { 1, 0x1000, 0x20000, 0x100, 0x300 } },
	};
}

static void build(const struct elf_spec *s)
{
	memset(file, 0, sizeof(file));
	memcpy(file, "\177ELF", 4);
	file[4] = s->class;
	file[5] = s->data;
	file[6] = s->version;
	put_be16(file + 16, s->type);
	put_be16(file + 18, s->machine);
	put_be32(file + 20, s->version);
	put_be64(file + 24, s->entry);
	put_be64(file + 32, s->phoff);
	put_be16(file + 52, 64);
	put_be16(file + 54, s->phentsize);
	put_be16(file + 56, s->phnum);
	for (unsigned i = 0; i < 4 && i < s->phnum; i++) {
		uint8_t *ph = file + 64 + i * 56;

		put_be32(ph, s->ph[i].type);
		put_be64(ph + 8, s->ph[i].offset);
		put_be64(ph + 16, s->ph[i].paddr);
		put_be64(ph + 24, s->ph[i].paddr);
		put_be64(ph + 32, s->ph[i].filesz);
		put_be64(ph + 40, s->ph[i].memsz);
	}
	memset(file + 0x1000, 0xAB, 0x100);
}

static int parse(const struct elf_spec *s, size_t size)
{
	build(s);
	return elf_parse(file, size, MEM_SIZE, &img, err, sizeof(err));
}

static int setup(void **state)
{
	(void)state;
	mem = malloc(MEM_SIZE);
	return mem ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static void test_loads_segment_and_zeroes_bss(void **state)
{
	struct elf_spec s = good();

	(void)state;
	assert_int_equal(parse(&s, FILE_SIZE), 0);
	assert_int_equal(img.nsegs, 1);
	assert_int_equal(img.start_addr, 0x20000);
	assert_false(img.linux_image);
	memset(mem, 0x55, MEM_SIZE);
	elf_copy(file, &img, mem);
	assert_int_equal(mem[0x20000], 0xAB);
	assert_int_equal(mem[0x200ff], 0xAB);
	assert_int_equal(mem[0x20100], 0);
	assert_int_equal(mem[0x202ff], 0);
	assert_int_equal(mem[0x20300], 0x55);
	assert_int_equal(mem[0x1ffff], 0x55);
}

static void test_linux_image_and_cmdline(void **state)
{
	struct elf_spec s = good();
	static char longline[1024];

	(void)state;
	s.entry = 0x10000;
	s.ph[0].paddr = 0x10000;
	s.ph[0].memsz = 0x1000;
	assert_int_equal(parse(&s, FILE_SIZE), 0);
	assert_true(img.linux_image);
	assert_int_equal(img.start_addr, 0x10000);
	memset(mem, 0, MEM_SIZE);
	assert_int_equal(elf_set_cmdline(&img, mem, MEM_SIZE, "root=/dev/ram0",
					 err, sizeof(err)), 0);
	assert_string_equal((char *)mem + 0x10480, "root=/dev/ram0");

	memset(longline, 'x', 895);
	assert_int_equal(elf_set_cmdline(&img, mem, MEM_SIZE, longline, err,
					 sizeof(err)), 0);
	longline[895] = 'x';
	assert_int_equal(elf_set_cmdline(&img, mem, MEM_SIZE, longline, err,
					 sizeof(err)), -EINVAL);
	/* A kernel that announces a bigger area gets a longer line. */
	put_be64(mem + 0x10430, 1024);
	assert_int_equal(elf_set_cmdline(&img, mem, MEM_SIZE, longline, err,
					 sizeof(err)), 0);

	s.entry = 0x800;	/* the other Linux entry QEMU recognises */
	assert_int_equal(parse(&s, FILE_SIZE), 0);
	assert_int_equal(img.start_addr, 0x10000);
}

static void test_cmdline_refused_for_plain_elf(void **state)
{
	struct elf_spec s = good();

	(void)state;
	assert_int_equal(parse(&s, FILE_SIZE), 0);
	assert_int_equal(elf_set_cmdline(&img, mem, MEM_SIZE, "x", err,
					 sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a Linux image"));
}

struct bad_case {
	const char *what;
	void (*mutate)(struct elf_spec *s, size_t *size);
	int ret;
	const char *msg;
};

static void m_truncated(struct elf_spec *s, size_t *n) { (void)s; *n = 40; }
static void m_class(struct elf_spec *s, size_t *n) { (void)n; s->class = 1; }
static void m_endian(struct elf_spec *s, size_t *n) { (void)n; s->data = 1; }
static void m_machine(struct elf_spec *s, size_t *n) { (void)n; s->machine = 62; }
static void m_type(struct elf_spec *s, size_t *n) { (void)n; s->type = 3; }
static void m_version(struct elf_spec *s, size_t *n) { (void)n; s->version = 7; }
static void m_phentsize(struct elf_spec *s, size_t *n) { (void)n; s->phentsize = 32; }
static void m_phnum0(struct elf_spec *s, size_t *n) { (void)n; s->phnum = 0; }
static void m_phnum_huge(struct elf_spec *s, size_t *n) { (void)n; s->phnum = 0xffff; }
static void m_phoff(struct elf_spec *s, size_t *n) { (void)n; s->phoff = FILE_SIZE - 10; }
static void m_phoff_wrap(struct elf_spec *s, size_t *n) { (void)n; s->phoff = UINT64_MAX - 8; }
static void m_ph_truncated(struct elf_spec *s, size_t *n) { (void)s; *n = 100; }
static void m_data_past_eof(struct elf_spec *s, size_t *n) { (void)n; s->ph[0].offset = FILE_SIZE - 0x10; }
static void m_offset_wrap(struct elf_spec *s, size_t *n) { (void)n; s->ph[0].offset = UINT64_MAX - 4; }
static void m_filesz(struct elf_spec *s, size_t *n) { (void)n; s->ph[0].memsz = 0x80; }
static void m_outside(struct elf_spec *s, size_t *n) { (void)n; s->ph[0].paddr = MEM_SIZE - 0x100; s->entry = MEM_SIZE - 0x100; }
static void m_paddr_wrap(struct elf_spec *s, size_t *n) { (void)n; s->ph[0].paddr = UINT64_MAX - 0x10; }
static void m_memsz_huge(struct elf_spec *s, size_t *n) { (void)n; s->ph[0].memsz = UINT64_MAX; }
static void m_interp(struct elf_spec *s, size_t *n) { (void)n; s->phnum = 2; s->ph[1] = (struct phdr){ 3, 0, 0, 0, 0 }; }
static void m_no_load(struct elf_spec *s, size_t *n) { (void)n; s->ph[0].type = 4; }
static void m_empty_load(struct elf_spec *s, size_t *n) { (void)n; s->ph[0].memsz = 0; s->ph[0].filesz = 0; }
static void m_odd_entry(struct elf_spec *s, size_t *n) { (void)n; s->entry = 0x20001; }
static void m_entry_outside(struct elf_spec *s, size_t *n) { (void)n; s->entry = 0x40000; }

static void m_overlap(struct elf_spec *s, size_t *n)
{
	(void)n;
	s->phnum = 2;
	s->ph[1] = (struct phdr){ 1, 0x1000, 0x20200, 0x10, 0x200 };
}

static const struct bad_case bad_cases[] = {
	{ "truncated header", m_truncated, -ENOEXEC, "truncated ELF header" },
	{ "32-bit", m_class, -ENOEXEC, "not a 64-bit" },
	{ "little-endian", m_endian, -ENOEXEC, "not a big-endian" },
	{ "x86-64 machine", m_machine, -ENOEXEC, "not an s390x" },
	{ "shared object", m_type, -ENOEXEC, "not an executable" },
	{ "bad version", m_version, -ENOEXEC, "version" },
	{ "phentsize", m_phentsize, -ENOEXEC, "program header size" },
	{ "no program headers", m_phnum0, -ENOEXEC, "program headers" },
	{ "absurd phnum", m_phnum_huge, -ENOEXEC, "65535 program headers" },
	{ "phoff past EOF", m_phoff, -ENOEXEC, "truncated program headers" },
	{ "phoff wraps", m_phoff_wrap, -ENOEXEC, "truncated program headers" },
	{ "file ends in phdrs", m_ph_truncated, -ENOEXEC, "truncated program headers" },
	{ "data past EOF", m_data_past_eof, -ENOEXEC, "beyond the end of the file" },
	{ "offset wraps", m_offset_wrap, -ENOEXEC, "beyond the end of the file" },
	{ "filesz > memsz", m_filesz, -ENOEXEC, "larger than memory size" },
	{ "beyond memory", m_outside, -E2BIG, "outside guest memory" },
	{ "paddr wraps", m_paddr_wrap, -E2BIG, "outside guest memory" },
	{ "memsz huge", m_memsz_huge, -E2BIG, "outside guest memory" },
	{ "dynamic", m_interp, -ENOEXEC, "dynamically linked" },
	{ "no PT_LOAD", m_no_load, -ENOEXEC, "no loadable segment" },
	{ "empty PT_LOAD", m_empty_load, -ENOEXEC, "no loadable segment" },
	{ "overlap", m_overlap, -ENOEXEC, "overlap" },
	{ "odd entry", m_odd_entry, -ENOEXEC, "is odd" },
	{ "entry outside", m_entry_outside, -ENOEXEC, "outside every loaded segment" },
};

static void test_malformed_images(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		struct elf_spec s = good();
		size_t size = FILE_SIZE;
		int ret;

		bad_cases[i].mutate(&s, &size);
		ret = parse(&s, size);
		if (ret != bad_cases[i].ret || !strstr(err, bad_cases[i].msg))
			fail_msg("%s: got %d '%s', want %d '%s'",
				 bad_cases[i].what, ret, err, bad_cases[i].ret,
				 bad_cases[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_segment_and_zeroes_bss),
		cmocka_unit_test(test_linux_image_and_cmdline),
		cmocka_unit_test(test_cmdline_refused_for_plain_elf),
		cmocka_unit_test(test_malformed_images),
	};

	return cmocka_run_group_tests_name("loader", tests, setup, teardown);
}
