"""The Gradio app: a thin view over rag.service."""
