"""Reading report files into normalised documents: readers, metadata, sections, chunks."""
