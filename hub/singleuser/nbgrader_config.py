"""What every single-user server needs of nbgrader: the course id and the shared exchange.

The hub puts this folder on JUPYTER_CONFIG_PATH and sets NBGRADER_EXCHANGE_ROOT, so
nobody writes ~/.jupyter/nbgrader_config.py by hand.
"""

import os

c = get_config()
c.CourseDirectory.course_id = "acne-necrotica"
c.Exchange.root = os.environ["NBGRADER_EXCHANGE_ROOT"]
