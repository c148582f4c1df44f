"""Notifications: each hand-over between roles announced to the person who acts next, in the app and
by email (each person chooses which kinds reach their inbox)."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)
