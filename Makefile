# tracegroup - see README.md.  `make run` and `make test` do everything.
#
# Sources are found by directory: every .c under the library directories is
# linked into the binary and into every test; cli/main.c holds main() only.
# Tests are tests/test_*.c (cmocka, one binary each) and tests/e2e/*.sh.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
O       ?= build

LIB_DIRS := store engine importers ops tui cli
LIB_SRC  := $(filter-out cli/main.c,$(wildcard $(addsuffix /*.c,$(LIB_DIRS))))
HDRS     := $(wildcard $(addsuffix /*.h,$(LIB_DIRS)))
TEST_SRC := $(wildcard tests/test_*.c)
PKGS     := ncursesw sqlite3 libcjson zlib

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes

BASE    := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 $(WARN) -I. \
           $$(pkg-config --cflags $(PKGS))
LIBS    := $$(pkg-config --libs $(PKGS)) -lm -lpthread
TLIBS   := $$(pkg-config --libs cmocka)
REL_FLAGS  := -O2 -g
SAN_FLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined

REL_OBJ := $(LIB_SRC:%.c=$(O)/rel/%.o)
SAN_OBJ := $(LIB_SRC:%.c=$(O)/san/%.o)
TESTS   := $(TEST_SRC:tests/%.c=$(O)/san/tests/%)

.PHONY: all deps test-deps run test bench eval install clean check-build \
        fuzz crashtest memcheck

all: deps
	@$(MAKE) -s --no-print-directory tracegroup

deps:
	@sh tests/deps.sh

test-deps:
	@sh tests/deps.sh test

tracegroup: $(O)/rel/tracegroup
	@cp $< $@.tmp && mv -f $@.tmp $@

$(O)/rel/tracegroup: $(REL_OBJ) $(O)/rel/cli/main.o
	$(CC) $(REL_FLAGS) -o $@ $^ $(LIBS)

$(O)/san/tracegroup: $(SAN_OBJ) $(O)/san/cli/main.o
	$(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS)

$(O)/rel/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) $(REL_FLAGS) $(CFLAGS) -c -o $@ $<

$(O)/san/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) $(SAN_FLAGS) $(CFLAGS) -c -o $@ $<

$(O)/san/tests/%: tests/%.c $(SAN_OBJ) tests/testutil.h
	@mkdir -p $(@D)
	$(CC) $(BASE) $$(pkg-config --cflags cmocka) $(SAN_FLAGS) $(CFLAGS) -o $@ $< $(SAN_OBJ) $(LIBS) $(TLIBS)

# The database `make run` opens: built from sample-data/ once, then reused.
SAMPLE_DB := $(O)/sample.db
SAMPLE_FILES := $(wildcard sample-data/*.jsonl sample-data/*.jsonl.gz sample-data/*.json sample-data/*.json.gz)

$(SAMPLE_DB): $(O)/rel/tracegroup $(SAMPLE_FILES)
	@rm -f $@ $@-wal $@-shm
	@$(O)/rel/tracegroup --db $@ import --quiet $(SAMPLE_FILES)
	@$(O)/rel/tracegroup --db $@ group --quiet

run: deps
	@$(MAKE) -s --no-print-directory tracegroup $(SAMPLE_DB)
	@./tracegroup --db $(SAMPLE_DB) tui

test: test-deps
	@$(MAKE) -s --no-print-directory check-build
	@sh tests/run.sh $(O)/san $(TESTS)

# Everything a test run needs: both binaries (the release one proves the
# plain build is warning-clean too) and the test programs.
check-build: tracegroup $(O)/san/tracegroup $(TESTS)

bench: deps
	@$(MAKE) -s --no-print-directory tracegroup
	@sh bench/run.sh

eval: deps
	@$(MAKE) -s --no-print-directory tracegroup
	@sh bench/eval.sh

# Reliability (docs/RELIABILITY.md): long fuzzing, kill-9 crash runs and
# the end-to-end tests under valgrind.  `make test` runs short versions.
FUZZ_SECONDS ?= 60
fuzz: test-deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

KILLS ?= 200
crashtest: test-deps
	@$(MAKE) -s --no-print-directory tracegroup
	@KILLS=$(KILLS) sh tests/crash/run.sh ./tracegroup

memcheck: test-deps
	@$(MAKE) -s --no-print-directory tracegroup
	@sh tests/memcheck.sh ./tracegroup

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 tracegroup $(DESTDIR)$(PREFIX)/bin/tracegroup

clean:
	rm -rf $(O) tracegroup
