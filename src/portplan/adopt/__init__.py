"""Adopting portplan: `portplan init` and `portplan import` (docs/adopting.md)."""
