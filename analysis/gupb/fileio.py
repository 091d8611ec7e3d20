# SPDX-License-Identifier: GPL-2.0
"""Reading and writing the suite's files: one error type, one JSON
reader, one atomic writer.

InputError is the one error every sub-command reports as a single line
(a file that cannot be used, and why). read_json() reads a JSON file,
gzip-compressed or not. Writing is atomic: nothing half-written, ever: a
temporary file in the target's directory, renamed over the target once
complete, readable like any file the user makes (mkstemp alone would
leave it 0600)."""
import gzip
import json
import os
import tempfile


class InputError(Exception):
    """An input that cannot be used; the message says why."""


def read_json(path):
    """A JSON file (.gz: compressed), or InputError saying why not."""
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rt") as f:
                return json.load(f)
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        raise InputError("%s: %s" % (path, e.strerror or e))
    except (ValueError, EOFError) as e:
        raise InputError("%s: not valid JSON (%s)" % (path, e))


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
    """JSON as every result file here has it: indent 1, sorted keys, a
    final newline; what JSON has no type for (a path, a set) as its str()."""
    write_text(path, json.dumps(doc, indent=1, sort_keys=True,
                                default=str) + "\n")
