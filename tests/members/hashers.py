"""A password hasher that counts its work: the seam for "is the password hashed here?"."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.hashers import Argon2PasswordHasher


class CountingArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (same algorithm name, same cost) that records each hash."""

    hashed: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        type(self).hashed.append(salt)
        return str(super().encode(password, salt))
