"""Segmentation of a story's text: paragraphs, scene-break lines and the chunked spaCy parse."""
