"""oicplan: planning overseas innovation centers."""
