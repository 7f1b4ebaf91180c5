"""Adapters around vendor libraries: the embedder, the FAISS and BM25 stores, the on-disk index."""
