// SPDX-License-Identifier: MIT
/*
 * ELF loader for s390x guests, following what QEMU's -kernel does with an
 * ELF: every PT_LOAD segment goes to its physical address and the boot CPU
 * starts in 64-bit mode at the entry point, except that an image whose
 * entry is 0x10000 or 0x800 is a Linux image started at 0x10000.
 *
 * The file is untrusted: every offset and size is checked for overflow
 * before it is used, and the reason for a refusal names the field.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bswap.h"
#include "loader.h"
#include "log.h"

#define EHDR_SIZE	64
#define PHDR_SIZE	56
#define EM_S390		22
#define ET_EXEC		2
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3

static int reject(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int reject(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

static int check_ident(const uint8_t *f, size_t size, char *err,
		       size_t errlen)
{
	if (size < EHDR_SIZE)
		return reject(err, errlen, -ENOEXEC,
			      "truncated ELF header (%zu of %d bytes)", size,
			      EHDR_SIZE);
	if (memcmp(f, "\177ELF", 4))
		return reject(err, errlen, -ENOEXEC, "not an ELF file");
	if (f[4] != 2)
		return reject(err, errlen, -ENOEXEC,
			      "not a 64-bit ELF (class %u)", f[4]);
	if (f[5] != 2)
		return reject(err, errlen, -ENOEXEC,
			      "not a big-endian ELF (data encoding %u)", f[5]);
	if (f[6] != 1 || get_be32(f + 20) != 1)
		return reject(err, errlen, -ENOEXEC, "unknown ELF version");
	if (get_be16(f + 18) != EM_S390)
		return reject(err, errlen, -ENOEXEC,
			      "not an s390x ELF (machine %u)", get_be16(f + 18));
	if (get_be16(f + 16) != ET_EXEC)
		return reject(err, errlen, -ENOEXEC,
			      "not an executable ELF (type %u)",
			      get_be16(f + 16));
	return 0;
}

static int check_segment(const struct elf_segment *s, size_t file_size,
			 uint64_t mem_size, char *err, size_t errlen)
{
	if (s->filesz > s->memsz)
		return reject(err, errlen, -ENOEXEC,
			      "segment at 0x%llx: file size 0x%llx larger than memory size 0x%llx",
			      (unsigned long long)s->paddr,
			      (unsigned long long)s->filesz,
			      (unsigned long long)s->memsz);
	if (s->offset > file_size || s->filesz > file_size - s->offset)
		return reject(err, errlen, -ENOEXEC,
			      "segment at 0x%llx: data beyond the end of the file",
			      (unsigned long long)s->paddr);
	if (s->paddr > mem_size || s->memsz > mem_size - s->paddr)
		return reject(err, errlen, -E2BIG,
			      "segment 0x%llx-0x%llx lies outside guest memory (%llu MiB)",
			      (unsigned long long)s->paddr,
			      (unsigned long long)(s->paddr + s->memsz),
			      (unsigned long long)(mem_size >> 20));
	return 0;
}

static int check_overlaps(const struct elf_image *img, char *err,
			  size_t errlen)
{
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *a = &img->segs[i];

		for (unsigned j = i + 1; j < img->nsegs; j++) {
			const struct elf_segment *b = &img->segs[j];

			if (a->paddr < b->paddr + b->memsz &&
			    b->paddr < a->paddr + a->memsz)
				return reject(err, errlen, -ENOEXEC,
					      "segments at 0x%llx and 0x%llx overlap",
					      (unsigned long long)a->paddr,
					      (unsigned long long)b->paddr);
		}
	}
	return 0;
}

static int read_segments(const uint8_t *f, size_t size, uint64_t mem_size,
			 struct elf_image *img, char *err, size_t errlen)
{
	uint64_t phoff = get_be64(f + 32);
	unsigned phentsize = get_be16(f + 54);
	unsigned phnum = get_be16(f + 56);
	int ret;

	if (phentsize != PHDR_SIZE)
		return reject(err, errlen, -ENOEXEC,
			      "program header size %u, expected %d", phentsize,
			      PHDR_SIZE);
	if (phnum == 0 || phnum > ELF_MAX_SEGMENTS)
		return reject(err, errlen, -ENOEXEC,
			      "%u program headers (1 to %d accepted)", phnum,
			      ELF_MAX_SEGMENTS);
	if (phoff > size || (uint64_t)phnum * PHDR_SIZE > size - phoff)
		return reject(err, errlen, -ENOEXEC,
			      "truncated program headers");

	img->nsegs = 0;
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = f + phoff + (uint64_t)i * PHDR_SIZE;
		uint32_t type = get_be32(ph);
		struct elf_segment *s = &img->segs[img->nsegs];

		if (type == PT_DYNAMIC || type == PT_INTERP)
			return reject(err, errlen, -ENOEXEC,
				      "dynamically linked ELF (needs a static image)");
		if (type != PT_LOAD)
			continue;
		s->offset = get_be64(ph + 8);
		s->paddr = get_be64(ph + 24);
		s->filesz = get_be64(ph + 32);
		s->memsz = get_be64(ph + 40);
		if (s->memsz == 0)
			continue;
		ret = check_segment(s, size, mem_size, err, errlen);
		if (ret)
			return ret;
		img->nsegs++;
	}
	if (img->nsegs == 0)
		return reject(err, errlen, -ENOEXEC, "no loadable segment");
	return check_overlaps(img, err, errlen);
}

static bool inside_segment(const struct elf_image *img, uint64_t addr)
{
	for (unsigned i = 0; i < img->nsegs; i++) {
		if (addr >= img->segs[i].paddr &&
		    addr - img->segs[i].paddr < img->segs[i].memsz)
			return true;
	}
	return false;
}

int elf_parse(const uint8_t *file, size_t file_size, uint64_t mem_size,
	      struct elf_image *img, char *err, size_t errlen)
{
	int ret;

	memset(img, 0, sizeof(*img));
	ret = check_ident(file, file_size, err, errlen);
	if (ret)
		return ret;
	ret = read_segments(file, file_size, mem_size, img, err, errlen);
	if (ret)
		return ret;

	img->entry = get_be64(file + 24);
	img->linux_image = img->entry == LINUX_IMAGE_START ||
			   img->entry == 0x800;
	img->start_addr = img->linux_image ? LINUX_IMAGE_START : img->entry;
	if (img->start_addr & 1)
		return reject(err, errlen, -ENOEXEC,
			      "entry point 0x%llx is odd",
			      (unsigned long long)img->start_addr);
	if (!inside_segment(img, img->start_addr))
		return reject(err, errlen, -ENOEXEC,
			      "entry point 0x%llx is outside every loaded segment",
			      (unsigned long long)img->start_addr);
	return 0;
}

void elf_copy(const uint8_t *file, const struct elf_image *img, uint8_t *mem)
{
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];

		memcpy(mem + s->paddr, file + s->offset, s->filesz);
		memset(mem + s->paddr + s->filesz, 0, s->memsz - s->filesz);
	}
}

int elf_set_cmdline(const struct elf_image *img, uint8_t *mem,
		    uint64_t mem_size, const char *cmdline, char *err,
		    size_t errlen)
{
	uint64_t max = LINUX_CMDLINE_LEGACY;
	size_t len = strlen(cmdline);

	if (!img->linux_image)
		return reject(err, errlen, -EINVAL,
			      "the image is not a Linux image (entry 0x%llx): it has no command line area",
			      (unsigned long long)img->entry);
	if (mem_size >= LINUX_CMDLINE_SIZE_ADDR + 8 &&
	    get_be64(mem + LINUX_CMDLINE_SIZE_ADDR))
		max = get_be64(mem + LINUX_CMDLINE_SIZE_ADDR);
	if (len >= max || len >= mem_size - LINUX_CMDLINE_ADDR)
		return reject(err, errlen, -EINVAL,
			      "command line of %zu bytes is longer than the image's %llu",
			      len, (unsigned long long)(max - 1));
	memcpy(mem + LINUX_CMDLINE_ADDR, cmdline, len + 1);
	return 0;
}

int elf_load_file(const char *path, uint8_t *mem, uint64_t mem_size,
		  struct elf_image *img)
{
	char err[256];
	struct stat st;
	void *map;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		log_error("%s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		log_error("%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if (st.st_size < EHDR_SIZE) {
		log_error("%s: truncated ELF header (%lld bytes)", path,
			  (long long)st.st_size);
		close(fd);
		return -ENOEXEC;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		ret = -errno;
		log_error("%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = elf_parse(map, (size_t)st.st_size, mem_size, img, err,
			sizeof(err));
	if (ret)
		log_error("%s: %s", path, err);
	else
		elf_copy(map, img, mem);
	munmap(map, (size_t)st.st_size);
	return ret;
}
