"""``/pacts/provider/{provider}/for-verification``: which pacts a provider build must verify.

Owned by the for-verification work (selectors, pending, WIP); included by ``create_app``.
"""

from fastapi import APIRouter

router = APIRouter()
