"""Admin pages: filled in as the registry admin is built."""
