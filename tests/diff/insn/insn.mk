# SPDX-License-Identifier: MIT
# Instruction-level differential test against qemu-s390x-static.
# Included by the top Makefile; also works as make -f tests/diff/insn/insn.mk
BUILD ?= build
HOSTCC ?= gcc
S390X_CC ?= s390x-linux-gnu-gcc

DIFF_INSN_DIR := $(BUILD)/tests/diff/insn
DIFF_INSN_CPU_SRC := $(wildcard vmm/softkvm/cpu/*.c)
DIFF_INSN_CPU_HDR := $(wildcard vmm/softkvm/cpu/*.h vmm/softkvm/cpu/*.def)

.PHONY: diff-insn-build
diff-insn-build: $(DIFF_INSN_DIR)/insn-diff $(DIFF_INSN_DIR)/runner

$(DIFF_INSN_DIR)/insn-diff: tests/diff/insn/insn-diff.c tests/diff/insn/case.h $(DIFF_INSN_CPU_SRC) $(DIFF_INSN_CPU_HDR)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) -std=c11 -Wall -Wextra -Werror -O2 -Ivmm -Itests/diff/insn -o $@ tests/diff/insn/insn-diff.c $(DIFF_INSN_CPU_SRC)

# no stack protector: its canary is read through the thread pointer in
# access registers 0-1, which the tested instruction may have changed
# when the signal handler starts
$(DIFF_INSN_DIR)/runner: tests/diff/insn/runner.c tests/diff/insn/case.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  S390XCC $@")
	$(Q)$(S390X_CC) -static -O1 -fno-stack-protector -std=gnu11 -Wall -Wextra -Werror -Itests/diff/insn -o $@ tests/diff/insn/runner.c

# the same driver built for s390x: the interpreter on a big-endian host
diff-insn-build: $(DIFF_INSN_DIR)/insn-diff.s390x

$(DIFF_INSN_DIR)/insn-diff.s390x: tests/diff/insn/insn-diff.c tests/diff/insn/case.h $(DIFF_INSN_CPU_SRC) $(DIFF_INSN_CPU_HDR)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  S390XCC $@")
	$(Q)$(S390X_CC) -static -std=c11 -Wall -Wextra -Werror -O2 -Ivmm -Itests/diff/insn -o $@ tests/diff/insn/insn-diff.c $(DIFF_INSN_CPU_SRC)
