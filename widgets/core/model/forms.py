"""The two clinical presentations the course teaches, as the model and its views name them."""

from enum import Enum


class Form(str, Enum):
    """How deep necrosis reaches; the value is the plain-text name used in quizzes and widgets."""

    MILIARIS = "miliaris"
    """Superficial necrosis: itchy pustules and crusts that usually heal without scarring."""

    VARIOLIFORMIS = "varioliformis"
    """Deeper necrosis: follicles are destroyed and heal with pitted, varioliform scars."""
