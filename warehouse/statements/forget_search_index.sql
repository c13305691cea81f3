-- Empty the full-text index, so that every article is indexed again (the tokenizer changed).
DELETE FROM search_postings;
DELETE FROM search_docs;
