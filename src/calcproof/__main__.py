"""``python -m calcproof``."""

import sys

from calcproof.cli import main

sys.exit(main())
