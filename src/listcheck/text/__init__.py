"""Text support: normalisation with offset maps, field access, (later) quantities and vocabularies."""
