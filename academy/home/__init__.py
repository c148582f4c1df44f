"""Each role's home page: the read side that gathers what waits for the person signed in."""

from flask import Blueprint

bp = Blueprint("home", __name__)
