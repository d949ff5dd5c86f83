# The tiny s390x guests: a freestanding library (guest/lib) and one ELF per
# program (guest/programs).  Included by the top-level Makefile; it also
# works alone:  make -f guest/guest.mk guest
#
# Everything here is prefixed GUEST_ so that it cannot collide with the
# variables of the VMM build that includes it.

BUILD    ?= build
GUEST_CC ?= s390x-linux-gnu-gcc

GUEST_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
GUEST_OUT := $(BUILD)/guest

GUEST_PROGRAMS := hello smp timers pgm keytrap bench migrate migrate-long irqpend \
                  heartbeat memtouch spin hostile-sclp hostile-sigp hostile-diag \
                  hostile-pgmloop hostile-oploop
GUEST_ELFS     := $(GUEST_PROGRAMS:%=$(BUILD)/guest/%.elf)

GUEST_LIB_C := alloc.c console.c exit.c interrupt.c printf.c sclp.c setup.c \
               smp.c string.c time.c
GUEST_LIB_S := start.S
GUEST_LIB_OBJS := $(GUEST_LIB_S:%.S=$(GUEST_OUT)/lib/%.o) \
                  $(GUEST_LIB_C:%.c=$(GUEST_OUT)/lib/%.o)

# -march=z10: the softkvm interpreter implements z10, so the guests must not
# use anything newer.  gcc spills to FPRs at this level, which is why the
# start code enables the AFP registers before any C runs.
GUEST_CFLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wvla \
                -O2 -march=z10 \
                -ffreestanding -fno-pic -fno-common -fno-stack-protector \
                -fno-asynchronous-unwind-tables -fno-unwind-tables \
                -I$(GUEST_DIR)/lib -MMD -MP
GUEST_ASFLAGS := -march=z10 -I$(GUEST_DIR)/lib -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -fno-pic -no-pie -Wl,--build-id=none \
                 -Wl,--fatal-warnings -Wl,-T,$(GUEST_DIR)/guest.ld

guest: $(GUEST_ELFS)

$(GUEST_OUT)/lib/%.o: $(GUEST_DIR)/lib/%.c $(GUEST_DIR)/guest.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GUESTCC $<")
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/lib/%.o: $(GUEST_DIR)/lib/%.S $(GUEST_DIR)/guest.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GUESTAS $<")
	$(Q)$(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GUEST_OUT)/programs/%.o: $(GUEST_DIR)/programs/%.c $(GUEST_DIR)/guest.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GUESTCC $<")
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

# Variants: one source, another -D.
$(GUEST_OUT)/programs/hostile-oploop.o: $(GUEST_DIR)/programs/hostile-pgmloop.c $(GUEST_DIR)/guest.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GUESTCC $< (operation loop)")
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -DOPERATION_LOOP -c $< -o $@

$(GUEST_OUT)/programs/migrate-long.o: $(GUEST_DIR)/programs/migrate.c $(GUEST_DIR)/guest.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GUESTCC $< (60 s)")
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -DMIGRATE_SECONDS=60 -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/programs/%.o $(GUEST_LIB_OBJS) $(GUEST_DIR)/guest.ld
	@$(if $(Q),echo "  GUESTLD $@")
	$(Q)$(GUEST_CC) $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJS) -lgcc

# The objects are only reached through the pattern rules above; keep them
# (not intermediate) so that a rebuild recompiles only what changed.
.SECONDARY: $(GUEST_LIB_OBJS) $(GUEST_PROGRAMS:%=$(GUEST_OUT)/programs/%.o)

-include $(GUEST_LIB_OBJS:.o=.d) $(GUEST_PROGRAMS:%=$(GUEST_OUT)/programs/%.d)

.PHONY: guest
