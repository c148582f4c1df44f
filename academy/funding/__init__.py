"""DfE child and family ASYE funding: eligibility rules kept in data, registration and completion claims."""

from flask import Blueprint

bp = Blueprint("funding", __name__)
