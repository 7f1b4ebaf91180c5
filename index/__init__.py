"""Adapters around vendor libraries: the embedder, the answer selector, the language models
(llama.cpp, an OpenAI-compatible server), the FAISS and BM25 stores, the on-disk index."""
