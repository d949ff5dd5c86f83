# zvmm: one static binary (musl) plus the tiny s390x guests and the tests.
#
#   make                      build/zvmm and build/guest/*.elf
#   make CC=clang             the same binary, compiled by clang
#   make CROSS=s390x-linux-gnu-   build/s390x/zvmm, an s390x static binary
#   make run                  boot the default guest (hello)
#   make test                 everything, closing with prove's summary
#   make bench                figures against a reference measured in the same run

BUILD   ?= build
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)

VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wundef -Wvla
CSTD    := -std=c11 -D_GNU_SOURCE
OPT     ?= -O2 -g

# ---------------------------------------------------------------------------
# The zvmm binary: static against musl, for the host or (CROSS=) for s390x.

HOST_ARCH := $(shell uname -m)

ifeq ($(CROSS),)
  ARCH        := $(HOST_ARCH)
  OUT         := $(BUILD)
  KERNEL_INC  := /usr/include
  KERNEL_ASM  := /usr/include/$(ARCH)-linux-gnu/asm
else
  ARCH        := $(patsubst %-linux-gnu-,%,$(CROSS))
  OUT         := $(BUILD)/$(ARCH)
  KERNEL_INC  := /usr/$(ARCH)-linux-gnu/include
  KERNEL_ASM  := /usr/$(ARCH)-linux-gnu/include/asm
endif
MUSL_CC     := $(ARCH)-linux-musl-gcc
DEBIAN_LIB  := /usr/lib/$(ARCH)-linux-gnu

# `make CC=clang`: clang compiles against musl's headers and musl-gcc links.
ifeq ($(origin CC),default)
  CC := $(MUSL_CC)
endif
ifneq ($(CROSS),)
  CC := $(MUSL_CC)
endif
LINK_CC := $(MUSL_CC)
ifneq ($(filter clang%,$(notdir $(CC))),)
  CC_SYS := -nostdinc -isystem /usr/include/$(ARCH)-linux-musl \
            -isystem $(shell $(CC) -print-resource-dir)/include
endif

# musl's compiler wrapper sees neither the kernel UAPI headers nor the headers
# of Debian's libseccomp and inih, so a small include directory of links
# gives it exactly those and nothing from glibc.
SYSINC  := $(OUT)/sysinc
ifeq ($(ARCH),s390x)
  PGSTE := -Wl,--s390-pgste
endif

VMM_SRCS  := $(filter-out $(VMM_EXCLUDE),$(shell find vmm -name '*.c' | sort))
VMM_LIB_SRCS := $(filter-out vmm/main.c,$(VMM_SRCS))
ZVMM_OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(VMM_SRCS))
ZVMM_CFLAGS := $(CSTD) $(WARN) $(OPT) $(CC_SYS) -isystem $(SYSINC) -Ivmm \
               -I$(BUILD)/gen/$(ARCH) -DZVMM_VERSION='"$(VERSION)"' -MMD -MP
ZVMM_LIBS := $(DEBIAN_LIB)/libinih.a

all: $(OUT)/zvmm guest

$(SYSINC)/.stamp:
	$(Q)mkdir -p $(SYSINC)
	$(Q)ln -sfn /usr/include/ini.h $(SYSINC)/ini.h
	$(Q)ln -sfn $(KERNEL_INC)/linux $(SYSINC)/linux
	$(Q)ln -sfn $(KERNEL_INC)/asm-generic $(SYSINC)/asm-generic
	$(Q)ln -sfn $(KERNEL_ASM) $(SYSINC)/asm
	$(Q)touch $@

$(OUT)/obj/%.o: %.c $(SYSINC)/.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ZVMM_CFLAGS) -c $< -o $@

$(OUT)/zvmm: $(ZVMM_OBJS)
	@echo "  LINK    $@"
	$(Q)$(LINK_CC) -static $(PGSTE) -o $@ $(ZVMM_OBJS) $(ZVMM_LIBS)

-include $(ZVMM_OBJS:.o=.d)

# The seccomp programs, built on this host with libseccomp for the
# architecture each build targets (vmm/seccomp-lists.h, tools/seccomp-gen.c).
$(BUILD)/tools/seccomp-gen: tools/seccomp-gen.c vmm/seccomp-lists.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(CSTD) $(WARN) -O2 -Ivmm -o $@ $< -lseccomp

$(BUILD)/gen/%/seccomp-bpf.h: $(BUILD)/tools/seccomp-gen
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)$< $* >$@.tmp && mv $@.tmp $@

$(OUT)/obj/vmm/seccomp-filter.o: $(BUILD)/gen/$(ARCH)/seccomp-bpf.h

# ---------------------------------------------------------------------------
# Host build of the same sources (glibc, dynamic) for the cmocka unit tests.

HOSTCC     ?= gcc
HOST_OBJS  := $(patsubst %.c,$(BUILD)/host/obj/%.o,$(VMM_LIB_SRCS))
HOST_CFLAGS := $(CSTD) $(WARN) $(OPT) -Ivmm -MMD -MP
UNIT_SRCS  := $(filter-out $(UNIT_EXCLUDE),$(sort $(wildcard tests/unit/test_*.c)))
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
# tests/softkvm: the same kind of cmocka programs, driving softkvm only
# through hv_ioctl; built and run exactly like the unit tests.
SKT_SRCS   := $(sort $(wildcard tests/softkvm/test_*.c))
SKT_BINS   := $(patsubst tests/softkvm/%.c,$(BUILD)/tests/softkvm/%,$(SKT_SRCS))

$(BUILD)/host/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -I$(BUILD)/gen/$(HOST_ARCH) -c $< -o $@

$(BUILD)/host/obj/vmm/seccomp-filter.o: $(BUILD)/gen/$(HOST_ARCH)/seccomp-bpf.h

$(BUILD)/host/libzvmm.a: $(HOST_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/host/libzvmm.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UNIT    $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(UNIT_LDFLAGS) -Itests/unit -I$(BUILD)/gen -o $@ $< $(BUILD)/host/libzvmm.a \
		-lcmocka -linih -lpthread

$(BUILD)/tests/softkvm/%: tests/softkvm/%.c tests/softkvm/sk-test.h tests/unit/unit.h $(BUILD)/host/libzvmm.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UNIT    $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(UNIT_LDFLAGS) -Itests/unit -I$(BUILD)/gen -o $@ $< $(BUILD)/host/libzvmm.a \
		-lcmocka -linih -lpthread

# test_seccomp_bpf checks the s390x programs built on this host.
$(BUILD)/tests/unit/test_seccomp_bpf $(BUILD)/s390x-unit/test_seccomp_bpf: $(BUILD)/gen/s390x/seccomp-bpf.h

-include $(HOST_OBJS:.o=.d) $(UNIT_BINS:=.d) $(SKT_BINS:=.d)

# The same unit tests built for s390x (glibc, dynamic) and run under
# qemu-s390x-static, so that a big-endian host runs them too. The
# cross compiler sees only its own sysroot, plus links to the two
# arch-independent headers it needs.
S390X_UNIT_CC  ?= s390x-linux-gnu-gcc
S390X_UNIT     := $(BUILD)/s390x-unit
S390X_UNIT_INC := $(S390X_UNIT)/inc
S390X_UNIT_OBJS := $(patsubst %.c,$(S390X_UNIT)/obj/%.o,$(VMM_LIB_SRCS))
S390X_UNIT_BINS := $(patsubst tests/unit/%.c,$(S390X_UNIT)/%,$(UNIT_SRCS))
S390X_SKT_BINS := $(patsubst tests/softkvm/%.c,$(S390X_UNIT)/softkvm/%,$(SKT_SRCS))
S390X_LIBDIR   := /usr/lib/s390x-linux-gnu

$(S390X_UNIT_INC)/.stamp:
	$(Q)mkdir -p $(S390X_UNIT_INC)
	$(Q)ln -sfn /usr/include/cmocka.h $(S390X_UNIT_INC)/cmocka.h
	$(Q)ln -sfn /usr/include/ini.h $(S390X_UNIT_INC)/ini.h
	$(Q)touch $@

$(S390X_UNIT)/obj/%.o: %.c $(S390X_UNIT_INC)/.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  S390XCC $<")
	$(Q)$(S390X_UNIT_CC) $(HOST_CFLAGS) -I$(S390X_UNIT_INC) -I$(BUILD)/gen/s390x -c $< -o $@

$(S390X_UNIT)/obj/vmm/seccomp-filter.o: $(BUILD)/gen/s390x/seccomp-bpf.h

$(S390X_UNIT)/libzvmm.a: $(S390X_UNIT_OBJS)
	$(Q)rm -f $@ && s390x-linux-gnu-ar rcs $@ $^

$(S390X_UNIT)/test_%: tests/unit/test_%.c tests/unit/unit.h $(S390X_UNIT)/libzvmm.a
	@$(if $(Q),echo "  UNIT    $@ (s390x)")
	$(Q)$(S390X_UNIT_CC) $(HOST_CFLAGS) -I$(S390X_UNIT_INC) -Itests/unit -I$(BUILD)/gen -o $@ $< \
		$(S390X_UNIT)/libzvmm.a -L$(S390X_LIBDIR) -l:libcmocka.so.0 \
		$(S390X_LIBDIR)/libinih.a -lpthread

$(S390X_UNIT)/softkvm/test_%: tests/softkvm/test_%.c tests/softkvm/sk-test.h tests/unit/unit.h $(S390X_UNIT)/libzvmm.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UNIT    $@ (s390x)")
	$(Q)$(S390X_UNIT_CC) $(HOST_CFLAGS) -I$(S390X_UNIT_INC) -Itests/unit -I$(BUILD)/gen -o $@ $< \
		$(S390X_UNIT)/libzvmm.a -L$(S390X_LIBDIR) -l:libcmocka.so.0 \
		$(S390X_LIBDIR)/libinih.a -lpthread

-include $(S390X_UNIT_OBJS:.o=.d) $(S390X_UNIT_BINS:=.d) $(S390X_SKT_BINS:=.d)

unit: $(UNIT_BINS) $(S390X_UNIT_BINS) $(SKT_BINS) $(S390X_SKT_BINS)
unit-host: $(UNIT_BINS) $(SKT_BINS)

# The threaded unit tests again, built with ThreadSanitizer. TSan needs
# the address-space layout it was built for, hence setarch -R.
TSAN_TESTS := test_softkvm_run test_softkvm_vcpu test_softkvm_vm test_vmm_pause test_vmm_vm
TSAN_SKT_TESTS := test_softkvm_dirty test_softkvm_irq
TSAN_BINS := $(TSAN_TESTS:%=$(BUILD)/tsan/tests/unit/%) $(TSAN_SKT_TESTS:%=$(BUILD)/tsan/tests/softkvm/%)
test-tsan: $(DEPS_OK)
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/tsan OPT="-O1 -g -fsanitize=thread" \
		UNIT_LDFLAGS=-fsanitize=thread $(TSAN_BINS)
	$(Q)TSAN_OPTIONS="halt_on_error=1 exitcode=66" CMOCKA_MESSAGE_OUTPUT=TAP \
		prove --exec "setarch $(HOST_ARCH) -R" $(TSAN_BINS)

# ---------------------------------------------------------------------------
# Guests, the ABI check and other test fragments.

GUEST_CC ?= s390x-linux-gnu-gcc
include guest/guest.mk
-include tests/abi/abi.mk
-include tests/diff/insn/insn.mk
-include tests/diff/csmith/csmith.mk

# ---------------------------------------------------------------------------
# Top-level verbs.

DEPS_OK := $(BUILD)/.deps-ok

$(DEPS_OK): scripts/install-deps
	$(Q)scripts/install-deps --check 2>/dev/null || scripts/install-deps
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_OK)

RUN_GUEST ?= $(BUILD)/guest/hello.elf
run: $(DEPS_OK)
	$(Q)$(MAKE) --no-print-directory all
	$(BUILD)/zvmm run $(RUN_ARGS) $(RUN_GUEST)

TEST_SCRIPTS = $(sort $(wildcard tests/integration/*.t)) tests/abi/abi.t \
               tests/oracle/oracle.t $(wildcard tests/diff/insn/insn.t) \
               $(wildcard tests/diff/csmith/csmith.t)

# Test helpers built for the host.
TEST_TOOLS = $(BUILD)/tests/tools/cutproxy
$(BUILD)/tests/tools/%: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $<

test-build: all unit abi-check-build $(TEST_TOOLS) $(if $(wildcard tests/diff/insn/insn.mk),diff-insn-build) \
	    $(if $(wildcard tests/diff/csmith/csmith.mk),diff-csmith-build)
	$(Q)$(MAKE) --no-print-directory CROSS=s390x-linux-gnu- $(BUILD)/s390x/zvmm
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/clang CC=clang $(BUILD)/clang/zvmm

test: $(DEPS_OK)
	$(Q)$(MAKE) --no-print-directory test-build
	$(Q)BUILD=$(BUILD) CMOCKA_MESSAGE_OUTPUT=TAP prove --exec tests/run-one $(UNIT_BINS) $(S390X_UNIT_BINS) $(SKT_BINS) $(S390X_SKT_BINS) $(TEST_SCRIPTS)

# 1000 more csmith programs than make test runs, failing seeds reported.
test-long: $(DEPS_OK) test-build diff-csmith-long

bench: $(DEPS_OK)
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) scripts/bench

clean:
	rm -rf $(BUILD)

.PHONY: all run test test-build test-tsan test-long bench clean deps unit unit-host guest
.DELETE_ON_ERROR:
