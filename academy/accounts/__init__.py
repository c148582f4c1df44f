"""Accounts: people, roles, sign-in and invitations."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
