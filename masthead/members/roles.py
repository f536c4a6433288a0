"""Staff roles as Django groups, and the checks other apps call.

Three roles (decision in docs/decisions/0201): **author** writes and edits their own posts
(drafts only), **editor** edits every post and tag and publishes, **admin** also manages
users, roles and site settings. Groups are created by a data migration; their permissions
are attached after every ``migrate`` because other apps' permissions only exist then.
The blog admin asks ``can_publish`` / ``can_edit_post`` instead of reading groups itself.

Roles are ordered (member < author < editor < admin < superuser). Nobody but a superuser
acts on an account of their own rank or above, or grants a role that is not below their
own: that is what keeps the admin role from climbing to superuser (decision 0201).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.auth.models import User as UserModel
from django.db.models import Q

AUTHOR, EDITOR, ADMIN = "author", "editor", "admin"
ROLES = (AUTHOR, EDITOR, ADMIN)
MEMBER_RANK = 0
RANKS = {AUTHOR: 1, EDITOR: 2, ADMIN: 3}
SUPERUSER_RANK = 4

_AUTHOR_PERMS = [
    "blog.view_post",
    "blog.add_post",
    "blog.change_post",
    "blog.view_posttag",
    "blog.add_posttag",
    "blog.change_posttag",
    "blog.delete_posttag",
    "blog.view_tag",
    "blog.view_authorprofile",
]
_EDITOR_PERMS = [
    *_AUTHOR_PERMS,
    "blog.delete_post",
    "blog.add_tag",
    "blog.change_tag",
    "blog.delete_tag",
    "blog.add_authorprofile",
    "blog.change_authorprofile",
    "blog.view_slugredirect",
    # Email a post to subscribers from the newsroom (newsletter/posts.py, ADR 0504).
    "newsletter.add_issue",
    "newsletter.view_issue",
]
_ADMIN_PERMS = [
    *_EDITOR_PERMS,
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    "auth.view_group",
    "sites.view_site",
    "sites.change_site",
    "account.view_emailaddress",
    "account.change_emailaddress",
    "members.view_profile",
    "members.change_profile",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    AUTHOR: _AUTHOR_PERMS,
    EDITOR: _EDITOR_PERMS,
    ADMIN: _ADMIN_PERMS,
}

User = UserModel | AnonymousUser


def _permissions(codes: list[str]) -> list[Permission]:
    query = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def groups_sync() -> None:
    """Create the role groups and give each exactly its permissions (idempotent).

    Permissions of apps that have no such model yet are skipped; the next ``migrate``
    adds them.
    """
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(codes))


def groups_sync_after_migrate(**kwargs: Any) -> None:
    groups_sync()


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))


def role_assign(*, user: UserModel, role: str) -> None:
    """Give ``user`` a staff role; roles imply admin-site access (``is_staff``)."""
    if role not in ROLES:
        raise ValueError(f"unknown role: {role}")
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def can_publish(user: User) -> bool:
    """Editors and admins publish; authors submit drafts."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(roles_of(user) & {EDITOR, ADMIN})


def is_post_author(user: User, post: Any) -> bool:
    """Whether ``user`` is one of ``post.authors`` (a new, unsaved post has none yet)."""
    if post.pk is None or not user.is_authenticated:
        return False
    return bool(post.authors.filter(pk=user.pk).exists())


def can_edit_post(user: User, post: Any) -> bool:
    """Editors and admins edit any post; an author only drafts they are an author of.

    A scheduled or published post is live (or about to be): an author's change would go
    out unreviewed, so it is read-only to them. The status is read from the database,
    never from the form being saved.
    """
    if can_publish(user):
        return True
    if AUTHOR not in roles_of(user) or not is_post_author(user, post):
        return False
    status = type(post).objects.filter(pk=post.pk).values_list("status", flat=True).first()
    return bool(status == type(post).Status.DRAFT)


def rank_of(user: User) -> int:
    """Where ``user`` stands in the role order; active or not (an inactive superuser is
    still a superuser's account, which no admin may re-activate and take over)."""
    if not user.is_authenticated:
        return MEMBER_RANK
    if user.is_superuser:
        return SUPERUSER_RANK
    if user.pk is None:  # an account being created in the admin holds no role yet
        return MEMBER_RANK
    names = user.groups.filter(name__in=ROLES).values_list("name", flat=True)
    return max((RANKS[name] for name in names), default=MEMBER_RANK)


def _acting_rank(user: User) -> int:
    return rank_of(user) if user.is_authenticated and user.is_active else MEMBER_RANK


def may_act_on(actor: User, account: Any) -> bool:
    """Whether ``actor`` may change, delete or reset anything of ``account`` in the admin.

    Superusers act on everyone. Everyone else acts only on accounts strictly below their
    own rank: not on their own (no raising one's own permissions), not on a peer's, not
    on a higher one's. Their own account is managed on the account page instead.
    """
    rank = _acting_rank(actor)
    if rank == SUPERUSER_RANK:
        return True
    return account is not None and rank_of(account) < rank


def outranking(actor: User, prefix: str = "") -> Q:
    """A filter on accounts (``prefix`` for a relation, e.g. ``"user__"``) that ``actor``
    may not act on: the set-wise ``may_act_on``, one query for any number of rows."""
    rank = _acting_rank(actor)
    if rank == SUPERUSER_RANK:
        return Q(pk__in=[])
    if rank == MEMBER_RANK:
        return Q()
    names = [role for role in ROLES if RANKS[role] >= rank]
    return Q(**{f"{prefix}is_superuser": True}) | Q(**{f"{prefix}groups__name__in": names})


def grantable_roles(actor: User) -> list[str]:
    """The roles ``actor`` may hand out: those strictly below their own rank."""
    rank = _acting_rank(actor)
    return [role for role in ROLES if RANKS[role] < rank]


def can_manage_roles(user: User) -> bool:
    """Only admins (and superusers) change who holds which role."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return ADMIN in roles_of(user)
