"""From a question to an answer: understand, candidates, decide, combine, llm, the Asker."""
