"""`python -m pipeline.validate`: the same as `edition validate`."""

import os
import sys

from .command import main

os.environ.setdefault("PYTHONIOENCODING", "utf-8")
sys.exit(main())
