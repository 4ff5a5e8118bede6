"""OAI-PMH 2.0 provider at /oai: all six verbs, oai_dc and edm, sets by provider, genre and type, deletions kept."""
from .views import bp

__all__ = ["bp"]
