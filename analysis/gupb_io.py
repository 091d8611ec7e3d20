# SPDX-License-Identifier: GPL-2.0
"""Writing result files, atomically: nothing half-written, ever.

One place for it, used by analysis/ and the scripts (answer, alias
summary, LAVA collector): a temporary file in the target's directory,
renamed over the target once complete, readable like any file the user
makes (mkstemp alone would leave it 0600)."""
import json
import os
import tempfile


def atomic(path, write, mode="w"):
    """Call write(f) on a temporary file next to path, then rename it."""
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(path) + ".")
    try:
        with os.fdopen(fd, mode) as f:
            write(f)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_text(path, text):
    atomic(path, lambda f: f.write(text))


def write_json(path, doc):
    """JSON as every result file here has it: indent 1, sorted keys."""
    write_text(path, json.dumps(doc, indent=1, sort_keys=True) + "\n")
