"""The public pages merchants use without a login: self-registration and its status (SPEC 2.5)."""
