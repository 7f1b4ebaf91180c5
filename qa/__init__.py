"""Pure question-answering logic: cleaning, paragraphs, retrieval, prompting, answering, citations.

Nothing here touches the network, the disk index or the HTTP layer; adapters live in
`index/` and the web app in `api/`.
"""
