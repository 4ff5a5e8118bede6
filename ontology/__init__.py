"""Vocabulary, record model, EDM mapping and rights rules: the bottom layer, importing nothing of ours."""
