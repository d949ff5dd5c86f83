/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_LOADER_H
#define ZVMM_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ELF_MAX_SEGMENTS	64

/* Linux image conventions that QEMU's -kernel follows (spec 6.3). */
#define LINUX_IMAGE_START	0x10000ULL
#define LINUX_CMDLINE_ADDR	0x10480ULL
#define LINUX_CMDLINE_SIZE_ADDR	0x10430ULL	/* u64, 0 on old kernels */
#define LINUX_CMDLINE_LEGACY	896ULL

struct elf_segment {
	uint64_t paddr;
	uint64_t offset;
	uint64_t filesz;
	uint64_t memsz;
};

/* What the loader found and what the boot CPU starts with. */
struct elf_image {
	uint64_t entry;		/* e_entry as written in the file */
	uint64_t start_addr;	/* PSW address the boot CPU starts at */
	bool linux_image;	/* entry 0x10000 or 0x800: command line at 0x10480 */
	unsigned nsegs;
	struct elf_segment segs[ELF_MAX_SEGMENTS];
};

/*
 * Check an ELF image held in memory against guest memory of mem_size bytes
 * without touching guest memory. Returns 0, or -ENOEXEC (not an s390x
 * executable, malformed) / -E2BIG (does not fit) with the reason in err.
 */
int elf_parse(const uint8_t *file, size_t file_size, uint64_t mem_size,
	      struct elf_image *img, char *err, size_t errlen);

/* Copy the segments of a parsed image into guest memory, zeroing BSS. */
void elf_copy(const uint8_t *file, const struct elf_image *img, uint8_t *mem);

/*
 * Place the kernel command line where QEMU's -append puts it for a Linux
 * image. Returns -EINVAL with a reason if the image is not a Linux image
 * or the line is too long for it.
 */
int elf_set_cmdline(const struct elf_image *img, uint8_t *mem,
		    uint64_t mem_size, const char *cmdline, char *err,
		    size_t errlen);

/* Read, parse and copy a file; errors are logged with the file name. */
int elf_load_file(const char *path, uint8_t *mem, uint64_t mem_size,
		  struct elf_image *img);

#endif
