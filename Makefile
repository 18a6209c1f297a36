# SPDX-License-Identifier: GPL-2.0
#
# xtcp: build the module, its KUnit suites and tools; run and test them in
# QEMU guests. See README.md.

KDIR ?= /lib/modules/$(shell uname -r)/build
KBUILD_FLAGS ?= W=1

.PHONY: all modules tools clean run shell check test bench fuzz deps kernel

all: modules tools

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_FLAGS) modules

tools:
	$(MAKE) -C tools

deps:
	scripts/deps

kernel: deps
	scripts/kernel

# The README's two commands.
run: deps
	scripts/run

check: deps
	scripts/check

test: check

# xtcp against Linux TCP, side by side (scripts/bench); BENCH_README=1
# also puts the table into README.md.
bench: deps
	scripts/bench $(if $(BENCH_README),--readme)

# The long segment fuzz (scripts/fuzz); make check runs a short one.
fuzz: deps
	scripts/fuzz

shell: deps
	scripts/run --shell

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || \
		find . -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
			-o -name 'modules.order' -o -name 'Module.symvers' | xargs rm -f
	$(MAKE) -C tools clean
	rm -rf build
