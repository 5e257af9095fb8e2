"""Reading: source files -> front matter and Markdown -> the document model."""
