"""The single source of configuration: one typed tree, read from `QA_*` environment variables.

Nested groups use `__`: `QA_GENERATION__GGUF_PATH=/models/x.gguf`, `QA_RETRIEVAL__TOP_K=8`.
Unknown keys are an error (`extra="forbid"`), so a misspelt setting never silently falls back.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "QA_"
BUNDLED_EMBEDDER = "bundled:all-MiniLM-L6-v2"
BUNDLED_GEMMA = "bundled:gemma-3-270m"
BUNDLED_SMOLLM2 = "bundled:smollm2-135m-instruct"
BUNDLED_SELECTOR = "bundled:minilm-l6-selector"
MIN_API_KEY_CHARS = 16
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Group):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(
        default=1,
        ge=1,
        description="API worker processes; each loads the index (read-only) and, with the "
        "`llama_cpp` backend, its own model copy: pair several with `generation.backend=openai`.",
    )
    max_question_chars: int = Field(default=500, ge=10, description="Longer questions get a 422.")
    max_history_turns: int = Field(
        default=10, ge=0, description="Earlier turns a follow-up may send; more get a 422."
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Larger request bodies get a 413 (POST /documents/import has its own limit).",
    )
    max_import_body_bytes: int = Field(
        default=16 * 1_048_576,
        ge=1024,
        description="Largest body POST /documents/import (admin) takes; larger get a 413. An "
        "export or a PDF sent in base64 grows by a third: 16 MiB takes a file of index."
        "max_document_bytes (10 MiB) with room to spare.",
    )
    max_completion_tokens: int = Field(
        default=8192,
        ge=1,
        description="Largest `max_tokens` a /v1/chat/completions request may ask for; more get "
        "a 400 (a smaller one cuts the reply's text to that many words).",
    )
    generation_queue_size: int = Field(
        default=8,
        ge=0,
        description="Questions that may wait while one is answered; beyond that a 429.",
    )
    request_timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="Time a question may take, waiting included; beyond that a 503.",
    )
    shutdown_grace_s: float = Field(
        default=10.0,
        ge=0,
        description="When the server is told to stop, how long a streamed answer under way "
        "(waiting included) may still take; one not done by then ends with an `error` event "
        "(503) instead of `done`.",
    )


class SecuritySettings(_Group):
    # a refused key is not repeated in the error (it goes to logs): pydantic quotes the input
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    admin_api_key: SecretStr | None = Field(
        default=None,
        description="Key for the admin endpoints; without it they are disabled (403).",
    )
    read_api_key: SecretStr | None = Field(
        default=None,
        description="If set, the question, search and document endpoints and /metrics need "
        "this key (or the admin key) as well.",
    )
    cors_allow_origins: list[str] = Field(
        default_factory=list,
        description="Browser origins allowed to call the API from other sites; empty = CORS off.",
    )

    @field_validator("cors_allow_origins")
    @classmethod
    def _origins(cls, origins: list[str]) -> list[str]:
        # a browser sends its origin as scheme://host[:port] and the CORS middleware compares
        # the strings whole: "news.example" or "https://news.example/" would never match
        for origin in origins:
            if origin == "*":
                continue
            parts = urlsplit(origin)
            if not (parts.scheme and parts.netloc) or parts.path or parts.query or parts.fragment:
                raise ValueError(
                    f"{origin!r} is not an origin: write each as a browser sends it, scheme and "
                    "host (and port, if not the scheme's own), with no path or trailing slash, "
                    "e.g. 'https://news.example' or 'http://localhost:3000'; '*' allows any"
                )
        return origins

    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the server answers to (the Host header, port aside; "
        "'*.news.example' for its subdomains, '*' for any). Empty: localhost, 127.0.0.1 and ::1 "
        "when server.host is a loopback address, any otherwise. A web page the user opens "
        "cannot reach a server on this machine under a name of its own (DNS rebinding).",
    )

    @field_validator("allowed_hosts")
    @classmethod
    def _host_names(cls, hosts: list[str]) -> list[str]:
        # compared with the Host header's name, lower case, without its port
        names = []
        for host in hosts:
            name = host.strip().lower()
            if name.startswith("[") and name.endswith("]"):  # "[::1]", as a Host header has it
                name = name[1:-1]
            domain = name.removeprefix("*.")
            # a port's colon, or a scheme's, path's, user's or stray bracket's character
            if name != "*" and (
                not domain or any(c in domain for c in "/@ *[]") or domain.count(":") == 1
            ):
                raise ValueError(
                    f"{host!r} is not a host name: write each as the Host header names the "
                    "server, without a scheme, port or path, e.g. 'qa.news.example', "
                    "'192.168.1.20' or '*.news.example'; '*' allows any"
                )
            names.append(name)
        return names

    @field_validator("admin_api_key", "read_api_key")
    @classmethod
    def _long_enough(cls, key: SecretStr | None) -> SecretStr | None:
        # a short key is guessable, and an empty one (a variable set to "") would look "set"
        # white space only would never match (header values are stripped)
        if key is not None and len(key.get_secret_value().strip()) < MIN_API_KEY_CHARS:
            raise ValueError(
                f"an API key needs at least {MIN_API_KEY_CHARS} characters; make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return key


class IndexSettings(_Group):
    corpus_dir: Path = Field(
        default=Path("seeds"),
        description="Folder of articles: .txt and .md/.markdown texts, .html, .htm, .html.gz "
        "and .mhtml/.mht/.webarchive pages, .pdf and .rtf documents, .jsonl, .json, .csv and "
        ".tsv archives, .xml/.rss/.atom feeds and WordPress exports, .docx (Nexis Uni exports), "
        "classic LexisNexis text exports (.txt), LexisNexis and Factiva exports saved as RTF "
        "(.rtf) and Factiva exports saved as HTML (.html).",
    )
    max_document_bytes: int = Field(
        default=MAX_DOCUMENT_BYTES,
        ge=1024,
        description="Largest article file read (a page after decompression, a text file, one "
        "line of a .jsonl archive, one item of a .json or a feed, one row of a .csv or .tsv); "
        "larger ones are skipped with a warning, and POST /documents refuses them with a 413.",
    )
    pdf_max_pages: int = Field(
        default=200,
        ge=1,
        description="A PDF of more pages is no article: skipped with a warning, unless its first "
        "pdf_export_probe_pages open a Nexis Uni export, which is read on in children of at "
        "most pdf_export_chunk_pages each (index/pdf_pages.py).",
    )
    pdf_export_probe_pages: int = Field(
        default=30,
        ge=1,
        description="Pages of a PDF longer than pdf_max_pages laid out first, to tell whether "
        "they open a Nexis Uni export (its cover lists some forty titles a page, so the first "
        "document's Body line comes within a few pages); at most pdf_max_pages.",
    )
    pdf_export_chunk_pages: int = Field(
        default=100,
        ge=1,
        description="The most pages one child lays out after those, reading a long Nexis Uni "
        "export (at most pdf_max_pages): small enough for a child of dense pages to stay well "
        "within pdf_cpu_s (a page took 0.19 s here: 100 pages 19 s of the 60).",
    )
    pdf_export_max_pages: int = Field(
        default=3000,
        ge=1,
        description="A Nexis Uni export saved as PDF of more pages (or of more than "
        "pdf_max_pages, whichever is more) is skipped, with a warning.",
    )
    pdf_export_wall_s: float = Field(
        default=900.0,
        gt=0,
        description="Seconds the children reading one PDF may take in all (a long Nexis Uni "
        "export is read in several; or pdf_wall_s, whichever is more); past them the PDF is "
        "skipped.",
    )
    pdf_memory_bytes: int = Field(
        default=1 << 30,
        ge=64 << 20,
        description="Address space of the child process that reads one PDF (index/pdf_pages.py); "
        "a PDF that needs more (a decompression bomb) is skipped with a warning.",
    )
    pdf_cpu_s: int = Field(
        default=60,
        ge=1,
        description="CPU seconds each child reading a PDF (or up to pdf_export_chunk_pages of a "
        "long Nexis Uni export) may use.",
    )
    pdf_wall_s: float = Field(
        default=120.0,
        gt=0,
        description="Seconds after which a child reading a PDF (or up to pdf_export_chunk_pages "
        "of a long export) is killed, and the PDF skipped.",
    )
    embedding_model: str = Field(
        default=BUNDLED_EMBEDDER,
        description="sentence-transformers model path, or the bundled MiniLM.",
    )
    embed_batch_size: int = Field(default=32, ge=1)
    query_backend: Literal["torch", "onnx"] = Field(
        default="onnx",
        description="What embeds questions and claims in the server: `onnx` exports the model "
        "into <data_dir>/models/onnx once and uses it only if it reproduces torch's vectors "
        "(about twice as fast per question); index builds always use torch, in batches of "
        "embed_batch_size (the document API's builds in the server too).",
    )
    embed_threads: int = Field(
        default=1,
        ge=1,
        description="CPU threads torch uses for embedding in the server (questions, and the "
        "document API's builds); 1 keeps latency steady beside llama.cpp's threads on a small "
        "machine (docs/scaling.md). scripts/rebuild_index.py uses all cores.",
    )
    reload_interval_s: float = Field(
        default=2.0,
        ge=0,
        description="How often the server checks whether `current` points at a new version, "
        "and loads it; 0 turns the watcher off (POST /admin/reload still works).",
    )
    build_lock_timeout_s: float = Field(
        default=60.0,
        ge=0,
        description="How long adding, replacing, importing or deleting documents waits for "
        "another index build to finish before it gives up with a 409.",
    )
    import_busy_s: float = Field(
        default=2.0,
        ge=0,
        description="An add, replace or delete sent while an import of this server holds the "
        "build lock, or a second import sent while it runs, waits for it until it has held the "
        "lock (or run) this long, in case it is about to finish; once it has, the 409 naming "
        "the import is answered at once instead of after build_lock_timeout_s.",
    )
    exact_search_max_paragraphs: int = Field(
        default=50_000,
        ge=0,
        description="Up to this many paragraphs the vector search is exact (FAISS IndexFlatIP); "
        "above it, `approximate_index` (see docs/scaling.md). Applies when the index is built.",
    )
    approximate_index: Literal["ivf", "hnsw"] = Field(
        default="ivf",
        description="Index above the exact-search size: inverted lists (IndexIVFFlat) or an "
        "HNSW graph (IndexHNSWFlat), both inner product.",
    )
    ivf_lists: int = Field(
        default=0, ge=0, description="IVF clusters; 0 = 4·√paragraphs (at most one per paragraph)."
    )
    ivf_probe: int = Field(
        default=32, ge=1, description="IVF clusters searched per question, saved with the index."
    )
    hnsw_m: int = Field(default=32, ge=4, le=128, description="HNSW links per vector.")
    hnsw_ef_construction: int = Field(
        default=80, ge=8, description="HNSW build beam width: higher builds slower, finds better."
    )
    hnsw_ef_search: int = Field(
        default=64,
        ge=8,
        description="HNSW search beam width, saved with the index (at least the k asked for).",
    )


class RetrievalSettings(_Group):
    # Fusion needs deep lists: a paragraph BM25 ranks first but the vector search ranks 27th
    # scores 1/61 if the dense list is cut at 20, below paragraphs both lists hold in the middle
    # (docs/grounding.md, "Retrieval recall").
    dense_k: int = Field(default=100, ge=1, description="Paragraphs taken from the FAISS search.")
    lexical_k: int = Field(default=100, ge=1, description="Paragraphs taken from the BM25 search.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal rank fusion constant.")
    top_k: int = Field(default=8, ge=1, description="Fused paragraphs considered for an answer.")
    sentence_scores: bool = Field(
        default=True,
        description="Score each paragraph in the vector search by the better of its own and "
        "its best sentence's cosine, so one matching sentence of a long paragraph counts "
        '(docs/grounding.md, "Retrieval recall"); false: the paragraph\'s own vector only.',
    )
    sentence_scores_max: int = Field(
        default=2_000_000,
        ge=0,
        description="Above this many sentences in the index the sentence scan (about 0.1 s a "
        "question per million sentences on 2 cores; docs/scaling.md) is skipped and the "
        "paragraph vectors alone are searched.",
    )
    near_duplicate_threshold: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description="Token overlap at or above which paragraphs collapse.",
    )


class GenerationSettings(_Group):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)  # its api_key

    backend: Literal["llama_cpp", "openai", "none"] = Field(
        default="none",
        description="`none` answers with the article sentence the selector chose (extract "
        "mode). Generate mode: `llama_cpp` runs a GGUF in-process, `openai` calls an "
        "OpenAI-compatible server at `base_url`; the model words the answer from the chosen "
        "sentence and its words are kept only when they pass the citation check.",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8080/v1",
        description="OpenAI-compatible API root (ends in /v1) for backend `openai`.",
    )
    model: str = Field(
        default="",
        description="Model name sent to the `openai` backend; empty = the server's default.",
    )
    api_key: SecretStr | None = Field(
        default=None, description="Bearer token for the `openai` backend, if it needs one."
    )
    timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="Per-request limit for the `openai` backend (connecting: at most 5 s).",
    )
    stop_before_limit_s: float = Field(
        default=3.0,
        ge=0,
        description="The model stops writing this long before the question's time limit "
        "(`server.request_timeout_s`), and the article's sentence the selector chose is quoted "
        "instead: a slow model's answer is given as extract mode gives it, not as a 503.",
    )
    retry_after_s: int = Field(
        default=10,
        ge=1,
        description="`Retry-After` on the 503 sent while the `openai` backend cannot be reached "
        "or is busy, unless its own answer said when to retry.",
    )
    gguf_path: str = Field(
        default=BUNDLED_GEMMA,
        description="A .gguf path, or bundled:gemma-3-270m / bundled:smollm2-135m-instruct.",
    )
    prompt_format: Literal["completion", "chat"] = Field(
        default="completion",
        description="`completion` for base models; `chat` uses the GGUF's own chat template.",
    )
    n_ctx: int = Field(default=2048, ge=256)
    n_threads: int = Field(default=2, ge=1)
    max_tokens: int = Field(
        default=96, ge=1, le=1024, description="Longest answer the model may write."
    )
    max_passages: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Paragraphs of the selector's best choices shown to the model, numbered.",
    )
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    seed: int = 0


class EvidenceSettings(_Group):
    """The cheap evidence score that shortlists candidate sentences for the selector
    (qa/evidence.py): a weighted sum of features, each 0..1."""

    cosine: float = Field(default=0.45, ge=0.0, description="Question–sentence cosine.")
    term_coverage: float = Field(
        default=0.30, ge=0.0, description="IDF-weighted share of the question's words found."
    )
    context_coverage: float = Field(
        default=0.15, ge=0.0, description="The same over the sentence, title and sentence before."
    )
    type_match: float = Field(
        default=0.10, ge=0.0, description="Holds the kind of thing asked for (number, date, …)."
    )
    drop_echoes: bool = Field(
        default=False,
        description="Leave out a sentence that only repeats the question's words (nothing new "
        "to say). Off: it showed no gain with the selector (docs/grounding.md).",
    )
    min_conversation_coverage: float = Field(
        default=0.25,
        ge=0.0,
        le=1.0,
        description="Share (IDF-weighted) of the earlier questions' words a leaning follow-up's "
        "answer must hold in itself or its context.",
    )


class ConversationSettings(_Group):
    """How a follow-up is told from a question that stands alone, and what it is not told
    again (qa/followups.py, qa/conversation.py)."""

    min_own_terms: int = Field(
        default=3,
        ge=0,
        description="A question with fewer content words of its own is read as a follow-up.",
    )
    max_earlier_questions: int = Field(
        default=3, ge=1, description="How far back a chain of follow-ups is read."
    )
    said_before_words: int = Field(
        default=8,
        ge=1,
        description="A sentence whose first this-many words stand in an earlier answer was "
        "given already: a follow-up gets it again only when it asks about that statement.",
    )
    min_clause_words: int = Field(
        default=5, ge=1, description="Shortest clause of a given sentence offered on its own."
    )
    read_alone_too: bool = Field(
        default=True,
        description="A follow-up the selector reads after the earlier questions is also read as "
        "asked, and each sentence keeps the better of its two scores (the selector was trained "
        "on questions that stand alone); costs a second reading of the shortlist.",
    )
    read_alone_candidates: int = Field(
        default=10,
        ge=1,
        description="How many of the shortlist (best by evidence) the second reading reads.",
    )
    swap_named: bool = Field(
        default=True,
        description='"What about NATO?", "And South Korea?": the earlier question is '
        'asked again with the name given in place of the first name it holds ("How did Russia '
        'react…?" → "How did South Korea react…?"), and searched and judged as a question '
        "of its own.",
    )
    answer_names_named: bool = Field(
        default=True,
        description='An answer to "What about NATO?" or "And John Kirby?" must name that name '
        "(in its sentence, the sentence before it or its article's title): the best sentence "
        "over the bar that names it is the answer, and when none does, the question is "
        "declined: a sentence about someone else is no answer about them.",
    )
    short_may_stand_alone: bool = Field(
        default=True,
        description="A question read as a follow-up only for being short (no pronoun or "
        "opening 'and': \"Who signed the treaty?\") whose reading with the conversation finds "
        "no answer is answered as a new question, without the history.",
    )
    near_answer_paragraphs: int = Field(
        default=2,
        ge=0,
        description="A question asked after an answer prefers, among the sentences that clear "
        "the bar, those within this many paragraphs of that answer in its article (0: none).",
    )
    near_answer_weight: float = Field(
        default=1.0,
        ge=0.0,
        description="What nearness adds to a sentence's score in log-odds when sentences over the "
        "bar are ranked (1.0 multiplies its odds by e); it never lifts one over the bar.",
    )
    read_given_again: bool = Field(
        default=True,
        description="A follow-up no new sentence answers well enough is read again with the "
        "sentences earlier answers gave that hold one of its own new words ('Which outlet "
        "reported that?' of a sentence that ends '…, KCNA reported'); the bar is the same.",
    )
    earlier_span_overlap: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="A follow-up's answer span that shares at least this share of the shorter "
        "of the two with the span an earlier question alone marks in the same sentence is "
        "marked again from the follow-up as asked ('Where from?' after 'How many balloons…?' "
        "is not answered with the number).",
    )


class SpellingSettings(_Group):
    """Question words no article holds, each with the nearest word one does ("did you mean"):
    reported beside the answer, never used to change the question (qa/spelling.py)."""

    enabled: bool = Field(default=True, description="Report unknown question words at all.")
    min_word_length: int = Field(
        default=5,
        ge=1,
        description="Shorter words are not checked (short words have too many near neighbours).",
    )
    two_edits_from: int = Field(
        default=7,
        ge=1,
        description="A word this long or longer may be two edits from its suggestion; a shorter "
        "one only one (an edit: a letter added, dropped, changed, or two swapped).",
    )
    max_words: int = Field(
        default=5, ge=1, le=50, description="At most this many unknown words are reported."
    )
    decline_absent_names: bool = Field(
        default=True,
        description="Decline a question that names someone or something no article mentions: "
        "a capitalised word (not the question's first) that is no common English word, in no "
        "article, and more than absent_name_edits edits from every word the articles hold "
        "('What did Lavrov say?' over articles that never name him), or a common English word "
        "no article holds in any form (absent_name_prefix). Measured on 34,941 "
        "public questions, each over its own article: 15 (0.04 %) answerable ones would be "
        "declined (docs/grounding.md).",
    )
    absent_name_edits: int = Field(
        default=2,
        ge=0,
        description="A name within this many edits of an article's word is taken for a "
        "misspelling of it ('Cyndi' for 'Cindy'), not for someone absent.",
    )
    absent_name_prefix: int = Field(
        default=5,
        ge=0,
        description="A capitalised common English word (not the question's first) is a name "
        "no article mentions too ('Did Japan comment?' over articles that never name Japan) "
        "when no article holds a word beginning with its first this many letters ('Japanese' "
        "holds 'Japan', 'defence' holds 'Defense'), unless it names a people or a language "
        "('American' of articles that say 'U.S.'), and none is a misspelling of it "
        "(absent_name_edits). 0: common English words are never absent. Measured on 34,941 "
        "public questions, each over its own article: 13 more (0.04 %) answerable ones are "
        "declined (docs/grounding.md).",
    )
    other_language_min_words: int = Field(
        default=3,
        ge=1,
        description="A question is taken for one asked in another language when at least this "
        "many of the words looked up are in no article and in no English word list, and they "
        "are at least other_language_share of those looked up: a refusal then says to ask in "
        "the articles' language, and its capitalised words are not declined as absent names.",
    )
    other_language_share: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="The share of the question's words looked up that must be unknown for it "
        "to be taken for one asked in another language (with other_language_min_words).",
    )
    decline_unreadable: bool = Field(
        default=True,
        description="Decline, before any search and never as a follow-up, a question none of "
        "whose words (function words aside, every length) is in any article or spelt nearly "
        "so, and at least other_language_share of them in no English word list either "
        "('asdfgh qwerty'): nothing in it to search for. A question with a figure, a word of "
        "another script or a name no article mentions is never such.",
    )


class AnswerSettings(_Group):
    selector_model: str = Field(
        default=BUNDLED_SELECTOR,
        description="Folder of the answer selector (ONNX model, tokenizer, card), or the "
        "bundled one trained by scripts/train_selector.py.",
    )
    selector_candidates: int = Field(
        default=20,
        ge=1,
        description="Best sentences by evidence score that the selector reads per question.",
    )
    selector_threads: int = Field(
        default=1, ge=1, description="CPU threads ONNX Runtime uses for the selector."
    )
    span_length_penalty: float = Field(
        default=0.1,
        ge=0.0,
        le=5.0,
        description="Taken from an answer span's score (start + end logit) for each token past "
        "its first, so that of two spans the span head likes about as well the shorter is the "
        "short answer; 0.1 is best on the tuning questions (scripts/span_length.py).",
    )
    max_answer_words: int = Field(
        default=50,
        ge=5,
        description="Words an answer's quote may have, the sentence before it carries "
        "included: a longer sentence is cut to whole clauses around the answer span (an answer "
        "over 50 words buries its answer; the evaluation counts it wrong).",
    )
    carry_antecedent: bool = Field(
        default=True,
        description='A quote opening with a pronoun or "the official", or given to a pronoun '
        '("“…,” he said"), also quotes the clause of the sentence before it that names who '
        "(qa/antecedents.py).",
    )
    min_statement_words: int = Field(
        default=3,
        ge=1,
        description='A "What did X say?" question\'s short answer needs this many words; a '
        "shorter span (one word of the quote) is not given as the direct answer.",
    )
    max_antecedent_words: int = Field(
        default=10,
        ge=3,
        description="Words of the sentence before that such a quote carries at most (whole "
        "clauses); the quote is then cut to max_answer_words less these.",
    )
    max_answer_sentences: int = Field(
        default=3,
        ge=1,
        le=5,
        description="Sentences in an answer to a question of several parts (one per part).",
    )
    same_statement_overlap: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="Two sentences sharing this share (Jaccard) of their content words say the "
        "same thing: only the first is given.",
    )
    min_support: float = Field(
        default=0.75, ge=0.0, le=1.0, description="Support a citation needs to count as verified."
    )
    support_lexical_weight: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="Share of a citation's support that is the claim's words found in the "
        "paragraph; the rest is their cosine (qa/citations.py).",
    )
    min_answer_score: float = Field(
        default=0.20,
        ge=0.0,
        le=1.0,
        description="Below this selector score the service abstains (see docs/grounding.md).",
    )
    article_details: bool = Field(
        default=True,
        description="Answer a question about an article itself (who wrote it, its date, its "
        "source) from the article's details rather than its sentences (qa/article_details.py).",
    )
    text_over_details_score: float = Field(
        default=0.60,
        ge=0.0,
        le=1.0,
        description="Such a question is answered from a sentence instead when the best one "
        "scores at least this and says who wrote, ran or dated a piece: the news may say who "
        'wrote or ran an article it reports on ("…, Reuters reported").',
    )
    min_article_match: float = Field(
        default=0.30,
        ge=0.0,
        le=1.0,
        description="Such a question is about an article only when what it says the article is "
        "about matches one this well (mean cosine to its title and its best retrieved "
        "paragraph); below it, no article is the one meant.",
    )


class Settings(BaseSettings):
    """Everything the service can be told. Built once and handed to the components."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
        hide_input_in_errors=True,  # a refused API key would otherwise be quoted into the logs
    )

    data_dir: Path = Field(
        default=Path("data"), description="Built index and assembled model files (git-ignored)."
    )
    server: ServerSettings = ServerSettings()
    index: IndexSettings = IndexSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    generation: GenerationSettings = GenerationSettings()
    evidence: EvidenceSettings = EvidenceSettings()
    conversation: ConversationSettings = ConversationSettings()
    answer: AnswerSettings = AnswerSettings()
    spelling: SpellingSettings = SpellingSettings()
    security: SecuritySettings = SecuritySettings()

    @model_validator(mode="after")
    def _no_unknown_environment(self) -> Settings:
        """pydantic-settings ignores QA_* variables it has no field for; a typo must not pass."""
        for name in os.environ:
            if not name.upper().startswith(ENV_PREFIX):
                continue
            path = name[len(ENV_PREFIX) :].lower().split("__")
            model: type[BaseModel] = type(self)
            for part in path:
                field = model.model_fields.get(part)
                if field is None:
                    raise ValueError(
                        f"unknown setting {name}; known ones: "
                        + ", ".join(f"{ENV_PREFIX}{f.upper()}" for f in model.model_fields)
                    )
                annotation = field.annotation
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    model = annotation
        return self

    @model_validator(mode="after")
    def _time_to_write(self) -> Settings:
        """A model told to stop before it could start would never word an answer."""
        stop, limit = self.generation.stop_before_limit_s, self.server.request_timeout_s
        if self.generation.backend != "none" and stop >= limit:
            raise ValueError(
                f"generation.stop_before_limit_s ({stop:g}) must be less than "
                f"server.request_timeout_s ({limit:g}): the model would be stopped before it "
                "could write"
            )
        return self

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"


def settings_problem(exc: ValidationError) -> str:
    """A refused `Settings()` as one line, each problem named by its setting: a misspelt name
    inside a group (`QA_SERVER__TYPO`) reads as one at the top does, with the names known
    there."""
    problems = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        if error["type"] == "extra_forbidden" and loc:
            model: type[BaseModel] = Settings
            for part in loc[:-1]:
                annotation = (
                    model.model_fields[part].annotation if part in model.model_fields else None
                )
                if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
                    break
                model = annotation
            prefix = ENV_PREFIX + "".join(f"{part.upper()}__" for part in loc[:-1])
            known = ", ".join(f"{prefix}{name.upper()}" for name in model.model_fields)
            problems.append(f"unknown setting {prefix}{loc[-1].upper()}; known ones: {known}")
        else:
            said = error.get("ctx", {}).get("error") if error["type"] == "value_error" else None
            message = str(said) if said is not None else error["msg"]  # no "Value error, "
            problems.append(f"{'.'.join(loc) + ': ' if loc else ''}{message}")
    return "; ".join(problems)


def settings_parse_problem(exc: Exception) -> str:
    """A `QA_*` value that could not even be parsed (pydantic-settings' `SettingsError`: a list
    setting that is not JSON), as one line naming the variables of the group it is in."""
    found = re.search(r'field "(\w+)"', str(exc))
    group = f"{ENV_PREFIX}{found.group(1).upper()}" if found else None
    names = sorted(k for k in os.environ if group and (k == group or k.startswith(group + "__")))
    return (
        f"a value of {', '.join(names) or 'a QA_* variable'} could not be read: a list setting is "
        "written as JSON, e.g. QA_SECURITY__CORS_ALLOW_ORIGINS='[\"https://app.example\"]'"
    )
