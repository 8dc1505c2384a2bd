# Zhiliang build.
#
#   make run     install what is missing, build, init the demo database, serve on :8080
#   make test    install what tests need, build (release + asan), run every suite
#   make bench   the performance figures the issues ask for (long; not part of test)
#   make fuzz    run every fuzz target for FUZZ_SECONDS each
#
# The C code is built as one static library per layer (src/core, src/codes,
# ...), linked in layer order, so a layer cannot reach a layer below it by
# accident and a unit test links only the layers it exercises.

CC       ?= cc
BUILD    ?= build/release
MODE     ?= release
PKGS     := libmicrohttpd libcjson libsodium sqlite3 libpq zlib xlsxwriter libzip expat freexl \
	pangocairo cairo-pdf
LAYERS   := core codes domain db store http cli

WARN := -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wmissing-declarations -Wold-style-definition \
	-Wpointer-arith -Wwrite-strings -Wundef -Wformat=2 \
	-Wvla -Wimplicit-fallthrough -Wredundant-decls

# gcc-only: clang (used for the fuzz build) does not know it.
ifeq ($(findstring clang,$(shell $(CC) --version 2>/dev/null | head -1)),)
WARN += -Wformat-truncation=2
endif

ifeq ($(MODE),asan)
OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else ifeq ($(MODE),fuzz)
OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
else
OPT := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Isrc -D_GNU_SOURCE -include src/core/compat.h $(PKG_CFLAGS)
CFLAGS   += -std=c17 $(WARN) $(OPT) -MMD -MP
LDFLAGS  += $(filter -fsanitize=%,$(OPT))
LDLIBS   += $(PKG_LIBS) -lpthread -lm

# Which layers each layer may link against (itself and those above it).
DEPS_core   := core
DEPS_codes  := codes core
DEPS_domain := domain codes core
DEPS_db     := db core
DEPS_store  := store db domain codes core
DEPS_http   := http store db domain codes core
DEPS_cli    := cli http store db domain codes core

layer_src = $(sort $(wildcard src/$(1)/*.c))
layer_obj = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(call layer_src,$(1)))
layer_lib = $(BUILD)/lib/libzl_$(1).a
libs_for  = $(foreach L,$(DEPS_$(1)),$(call layer_lib,$(L)))

ALL_OBJ := $(foreach L,$(LAYERS),$(call layer_obj,$(L))) $(BUILD)/obj/main.o

# Unit tests: tests/unit/<layer>/test_*.c, linked with cmocka and that layer's set.
UNIT_SRC := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
# Store suite: the same binary runs against any database URL.
STORE_SRC := $(sort $(wildcard tests/store/test_*.c))
STORE_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(STORE_SRC))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all zhiliang web run test test-only bench fuzz clean deps deps-test docs format check-docs asan unit
.DEFAULT_GOAL := all

all: zhiliang web

zhiliang: $(BUILD)/zhiliang
ifeq ($(MODE),release)
	@ln -sf $(BUILD)/zhiliang zhiliang
endif

$(BUILD)/zhiliang: $(BUILD)/obj/main.o $(call libs_for,cli)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

define LAYER_RULE
$(call layer_lib,$(1)): $(call layer_obj,$(1))
	@mkdir -p $$(dir $$@)
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach L,$(LAYERS),$(eval $(call LAYER_RULE,$(L))))

# tests/unit/<layer>/test_x.c -> build/.../tests/unit/<layer>/test_x
define UNIT_RULE
$(patsubst tests/%.c,$(BUILD)/tests/%,$(1)): $(1) $(call libs_for,$(word 3,$(subst /, ,$(1))))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$< $(call libs_for,$(word 3,$(subst /, ,$(1)))) -lcmocka $$(LDLIBS)
endef
$(foreach T,$(UNIT_SRC),$(eval $(call UNIT_RULE,$(T))))

$(BUILD)/tests/store/%: tests/store/%.c $(call libs_for,store)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(call libs_for,store) -lcmocka $(LDLIBS)

unit: $(UNIT_BIN) $(STORE_BIN)

# Micro-benchmarks (make bench): bench/<name>.c linked with the http set.
$(BUILD)/bench/%: bench/%.c $(call libs_for,http)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(call libs_for,http) $(LDLIBS)

# ---- web UI --------------------------------------------------------------
WEB_SRC := $(shell find web/src web/index.html web/vite.config.js web/package.json -type f 2>/dev/null)
web: web/dist/index.html
web/dist/index.html: $(WEB_SRC) web/node_modules/.package-lock.json
	cd web && npm run build --silent
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

# ---- the two commands ------------------------------------------------------
deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run.sh

test: deps-test
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory MODE=asan BUILD=build/asan build/asan/zhiliang unit
	@scripts/test.sh

# Run the suites without the install step (for quick iterations).
test-only:
	@scripts/test.sh

bench: deps-test
	@$(MAKE) --no-print-directory all $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
	@scripts/bench.sh

fuzz:
	@scripts/fuzz.sh build
	@scripts/fuzz.sh run $(FUZZ_SECONDS)

docs: zhiliang
	./zhiliang routes --markdown > docs/api.md

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c')

clean:
	rm -rf build zhiliang web/dist

-include $(ALL_OBJ:.o=.d)
