"""Check kinds: one module per kind. A kind turns a rule's parameters into hits on a product."""
