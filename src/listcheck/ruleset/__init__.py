"""Rule packs: the YAML files and their lines, the schema, `when` filters and loading with `extends`."""
