"""The session-signing key: never a public value, and never a weak one outside development and test.

Every session cookie (and every CSRF token) is signed with SECRET_KEY, so anyone who knows it can sign in
as anyone. Production must be given a key of at least 32 random bytes; development makes its own
random key on the first start and keeps it (readable by its owner only) under instance/.
"""

import os
import secrets
from pathlib import Path

from flask import Flask

MINIMUM_BYTES = 32
# Far fewer distinct characters than any random key of this length has (token_hex has all 16 almost
# always, token_urlsafe dozens): "xxxx…" or "passwordpassword…" are not keys.
MINIMUM_DISTINCT_CHARACTERS = 10
# Environments where a key may be made up locally; every other one must be given a strong key.
LOCAL_ENVIRONMENTS = frozenset({"development", "test"})
HOW_TO_MAKE_ONE = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


def secret_key_problem(key: str | bytes | None) -> str | None:
    """Why `key` is not good enough to sign sessions in production, or None when it is."""
    if not key:
        return "SECRET_KEY is not set"
    raw = key.encode("utf-8") if isinstance(key, str) else key
    if len(raw) < MINIMUM_BYTES:
        size = f"{len(raw)} byte" + ("" if len(raw) == 1 else "s")
        return f"SECRET_KEY is {size} long; it must be at least {MINIMUM_BYTES} random bytes"
    if len(set(raw)) < MINIMUM_DISTINCT_CHARACTERS:
        return "SECRET_KEY is not random (it repeats a few characters)"
    return None


def local_secret_key(path: Path) -> str:
    """The key kept in `path`, made (random, mode 0600) on the first start."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting at once cannot both write a key; the second reads the first's.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(MINIMUM_BYTES) + "\n")
    return path.read_text(encoding="ascii").strip()


def configure_secret_key(app: Flask) -> None:
    """Give development its own key; refuse to start anywhere else without a strong one."""
    environment = app.config.get("ACADEMY_ENV", "production")
    if environment in LOCAL_ENVIRONMENTS:
        if not app.config.get("SECRET_KEY"):
            key_file = app.config.get("SECRET_KEY_FILE") or os.path.join(app.instance_path, "secret_key")
            app.config["SECRET_KEY"] = local_secret_key(Path(key_file))
        return
    problem = secret_key_problem(app.config.get("SECRET_KEY"))
    if problem:
        raise RuntimeError(
            f"{problem}, so the academy will not start under the {environment} configuration. "
            f"Set SECRET_KEY in the environment to a random value of at least {MINIMUM_BYTES} bytes, "
            f"for example the output of: {HOW_TO_MAKE_ONE}"
        )
