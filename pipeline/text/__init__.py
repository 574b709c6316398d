"""Text utilities under every stage: edits, protected spans, repeats, diffing, line features,
pattern rules, translation variants, the data cache."""
