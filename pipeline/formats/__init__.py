"""The formats the pipeline reads and writes back: plain text, HTML, XLIFF, TMX, PO, TSV, JSONL."""
