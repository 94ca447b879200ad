"""Staff sign-in beyond the password (SPEC 8): the authenticator code and its registration, the
lockout page, and the guard that keeps a session waiting for its code out of every other page."""
