"""Rule packs: the YAML schema, loading with `extends`, and the registry of check kinds."""
