# tests/abi/abi.mk: the s390 KVM ABI check (vmm/kvm-abi.h vs the kernel's).
#
# Included by the top-level Makefile (which sets BUILD); also usable alone:
#   make -f tests/abi/abi.mk BUILD=build abi-check-build
#   BUILD=build tests/abi/abi.t
#
# Builds, under $(BUILD)/tests/abi/:
#   abi-check-s390x      static s390x binary (run under qemu-s390x-static):
#                        the list compiled against the real s390x
#                        <linux/kvm.h> (linux-libc-dev-s390x-cross) and
#                        against vmm/kvm-abi.h, compared entry by entry
#   abi-check-host       the list compiled by the host compiler against the
#                        vendored vmm/kvm-abi.h, compared with the s390x
#                        binary's "--dump" of the kernel's values
#   abi-check-host-clang the same built with clang (only if clang exists)
#   header-compile.log   vmm/kvm-abi.h compiled with every available
#                        compiler, both branches (tests/abi/header-compile.sh)

# Do not become the including Makefile's default goal (restored at the end).
ABI_STANDALONE := $(if $(filter 1,$(words $(MAKEFILE_LIST))),yes)
ABI_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

BUILD ?= build
S390X_GNU_CC ?= s390x-linux-gnu-gcc
HOSTCC ?= cc
# Optional compilers for the header checks (ABI_ names: the top Makefile
# has its own MUSL_CC).
ABI_CLANG ?= clang
ABI_MUSL_CC ?= musl-gcc
ABI_S390X_MUSL_CC ?= s390x-linux-musl-gcc
ABI_S390X_UAPI_INC ?= /usr/s390x-linux-gnu/include

ABI_STRICT := -std=c11 -Wall -Wextra -Werror
# The header is also held to the VMM's own warning set (plus -Wpedantic).
ABI_HEADER_FLAGS := $(ABI_STRICT) -D_GNU_SOURCE -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wvla -Wpedantic
ABI_CFLAGS := $(ABI_STRICT) -O2 -I.
ABI_OUT := $(BUILD)/tests/abi

ABI_DEPS := vmm/kvm-abi.h tests/abi/abi.h tests/abi/abi-list.h \
	tests/abi/abi-extras-list.h tests/abi/abi.mk
ABI_S390X_OBJS := $(addprefix $(ABI_OUT)/s390x-,table-kernel.o \
	table-vendored.o table-ours-real.o common.o check.o)

ABI_HAVE_CLANG := $(shell command -v $(ABI_CLANG) >/dev/null 2>&1 && echo yes)

ABI_TARGETS := $(ABI_OUT)/abi-check-s390x $(ABI_OUT)/abi-check-host \
	$(ABI_OUT)/header-compile.log
ifeq ($(ABI_HAVE_CLANG),yes)
ABI_TARGETS += $(ABI_OUT)/abi-check-host-clang
endif

.PHONY: abi-check-build
abi-check-build: $(ABI_TARGETS)

# ---- s390x side ---------------------------------------------------------

$(ABI_OUT)/s390x-table-kernel.o: tests/abi/abi-table.c $(ABI_DEPS)
	@mkdir -p $(@D)
	$(S390X_GNU_CC) $(ABI_CFLAGS) -DABI_SIDE_KERNEL -c $< -o $@

$(ABI_OUT)/s390x-table-vendored.o: tests/abi/abi-table.c $(ABI_DEPS)
	@mkdir -p $(@D)
	$(S390X_GNU_CC) $(ABI_CFLAGS) -DABI_SIDE_VENDORED -c $< -o $@

$(ABI_OUT)/s390x-table-ours-real.o: tests/abi/abi-table.c $(ABI_DEPS)
	@mkdir -p $(@D)
	$(S390X_GNU_CC) $(ABI_CFLAGS) -DABI_SIDE_OURS_REAL -c $< -o $@

$(ABI_OUT)/s390x-common.o: tests/abi/abi-common.c $(ABI_DEPS)
	@mkdir -p $(@D)
	$(S390X_GNU_CC) $(ABI_CFLAGS) -c $< -o $@

$(ABI_OUT)/s390x-check.o: tests/abi/abi-check-s390x.c $(ABI_DEPS)
	@mkdir -p $(@D)
	$(S390X_GNU_CC) $(ABI_CFLAGS) -c $< -o $@

$(ABI_OUT)/abi-check-s390x: $(ABI_S390X_OBJS)
	$(S390X_GNU_CC) -static -o $@ $^

# ---- host side ----------------------------------------------------------

ABI_HOST_SRCS := tests/abi/abi-check-host.c tests/abi/abi-common.c \
	tests/abi/abi-table.c

$(ABI_OUT)/abi-check-host: $(ABI_HOST_SRCS) $(ABI_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) $(ABI_CFLAGS) -DABI_SIDE_VENDORED -o $@ $(ABI_HOST_SRCS)

$(ABI_OUT)/abi-check-host-clang: $(ABI_HOST_SRCS) $(ABI_DEPS)
	@mkdir -p $(@D)
	$(ABI_CLANG) $(ABI_CFLAGS) -DABI_SIDE_VENDORED -o $@ $(ABI_HOST_SRCS)

# ---- the header with every compiler at hand ----------------------------

$(ABI_OUT)/header-compile.log: tests/abi/header-compile.sh $(ABI_DEPS)
	@mkdir -p $(@D)
	HOSTCC='$(HOSTCC)' CLANG='$(ABI_CLANG)' MUSL_CC='$(ABI_MUSL_CC)' \
	S390X_GNU_CC='$(S390X_GNU_CC)' S390X_MUSL_CC='$(ABI_S390X_MUSL_CC)' \
	S390X_UAPI_INC='$(ABI_S390X_UAPI_INC)' \
	bash tests/abi/header-compile.sh $(ABI_OUT) '$(ABI_HEADER_FLAGS)'

ifneq ($(ABI_STANDALONE),yes)
.DEFAULT_GOAL := $(ABI_SAVED_DEFAULT_GOAL)
endif
