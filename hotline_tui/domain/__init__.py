"""Pure rules of the hotline office: no I/O, no Textual, no SQLModel."""
