# SPDX-License-Identifier: MIT
# Program-level differential test (csmith programs, interpreter vs
# qemu-system-s390x) and runelf, the interpreter-only guest runner that it
# and `make bench` use. Included by the top Makefile; also works alone:
#   make -f tests/diff/csmith/csmith.mk diff-csmith-build
BUILD ?= build
HOSTCC ?= gcc
Q ?= @

RUNELF_DIR := $(BUILD)/tests/diff/runelf
RUNELF_CPU_SRC := $(wildcard vmm/softkvm/cpu/*.c)
RUNELF_CPU_HDR := $(wildcard vmm/softkvm/cpu/*.h vmm/softkvm/cpu/*.def)

.PHONY: runelf-build diff-csmith-build
runelf-build: $(RUNELF_DIR)/runelf
diff-csmith-build: runelf-build

$(RUNELF_DIR)/runelf: tests/diff/runelf/runelf.c $(RUNELF_CPU_SRC) $(RUNELF_CPU_HDR)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) -std=c11 -Wall -Wextra -Werror -O2 -g -Ivmm -o $@ tests/diff/runelf/runelf.c $(RUNELF_CPU_SRC)

# make test runs tests/diff/csmith/csmith.t (the 50 seeds of ./seeds);
# this is the long run: 1000 more seeds, failing ones listed at the end.
.PHONY: diff-csmith-long
diff-csmith-long: diff-csmith-build
	$(Q)CSMITH_LONG=$${CSMITH_LONG:-1000} BUILD=$(BUILD) tests/diff/csmith/csmith.t
