"""Image build step: copy only the viewer files the static finder names out of node_modules.

The finder (exhibitions/staticfiles.py) checks them at start-up; the rest of node_modules stays
out of the runtime image. Usage (in /app): python deploy/keep_vendor_files.py /vendor
"""

import shutil
import sys
from pathlib import Path

from exhibitions.staticfiles import VENDOR_FILES

target = Path(sys.argv[1])
for src in VENDOR_FILES.values():
    (target / src).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(Path("node_modules") / src, target / src)
