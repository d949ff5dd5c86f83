# SPDX-License-Identifier: MIT
# libFuzzer target for the interpreter. Not part of `make test` (it needs
# minutes); build and run:
#   make -f tests/fuzz/fuzz.mk fuzz-build
#   build/tests/fuzz/fuzz_cpu -max_total_time=600 -max_len=4096 build/tests/fuzz/corpus
BUILD ?= build
FUZZ_CC ?= clang
Q ?= @

FUZZ_DIR := $(BUILD)/tests/fuzz
FUZZ_CPU_SRC := $(wildcard vmm/softkvm/cpu/*.c)
FUZZ_CPU_HDR := $(wildcard vmm/softkvm/cpu/*.h vmm/softkvm/cpu/*.def)

.PHONY: fuzz-build
fuzz-build: $(FUZZ_DIR)/fuzz_cpu

$(FUZZ_DIR)/fuzz_cpu: tests/fuzz/fuzz_cpu.c $(FUZZ_CPU_SRC) $(FUZZ_CPU_HDR)
	@mkdir -p $(@D) $(FUZZ_DIR)/corpus
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -g -O2 -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Ivmm -o $@ tests/fuzz/fuzz_cpu.c $(FUZZ_CPU_SRC)
