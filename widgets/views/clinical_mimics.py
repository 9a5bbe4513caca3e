"""The mimics' clinical clues and trichoscopy beside acne necrotica, as an HTML table for lesson 4.

Every sentence comes from ``widgets/core/clinical/data/mimics.toml`` with its
references; the table ends with the plain statement that no trichoscopy of acne
necrotica was found, and links to open photographs of each mimic.
"""

from html import escape

from IPython.display import HTML

from widgets.core.citations import with_citation
from widgets.core.clinical.links import NO_ACNE_NECROTICA_TRICHOSCOPY, load_mimics
from widgets.views.clinical_viewer import photos_html

_TABLE = 'style="border-collapse:collapse; text-align:left" border="1" cellpadding="6"'


def mimic_clues() -> HTML:
    """A table: each mimic's clinical clues and trichoscopy, with photo links and licences."""
    rows = "".join(
        f"<tr><td><b>{escape(mimic.name.capitalize())}</b></td>"
        f"<td>{escape(with_citation(mimic.clinical, mimic.clinical_refs))}</td>"
        f"<td>{escape(with_citation(mimic.trichoscopy, mimic.trichoscopy_refs))}</td>"
        f"<td>{photos_html(mimic.name)}</td></tr>"
        for mimic in load_mimics()
    )
    return HTML(
        f"<table {_TABLE}><thead><tr><th>Mimic</th><th>Clinical clues</th><th>Trichoscopy</th>"
        f"<th>Photographs</th></tr></thead><tbody>{rows}"
        f'<tr><td><b>Acne necrotica</b></td><td colspan="3">{escape(NO_ACNE_NECROTICA_TRICHOSCOPY)}'
        "</td></tr></tbody></table>"
    )
