# SPDX-License-Identifier: GPL-2.0
"""What a patch is for, as configs/patches/meta and configs/patches-mm/meta
declare it: "NNNN purpose..." a line, by the number that starts the
patch's file name (ports to a base, configs/patches/<X.Y>/, share it).
Verdicts ask this, never grep a patch's text."""
import os

TOP = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                   "..", ".."))
DIRS = ("patches", "patches-mm")


def number(patch):
    """'0003-arm64-...patch', 'configs/patches/7.2/0003-...', '0003' ->
    '0003'; None, '', 'none' and 'stock' -> None."""
    if patch in (None, "", "none", "stock"):
        return None
    return os.path.basename(patch).split("-", 1)[0]


def read_meta(top=TOP):
    """{number: set of purposes} from every configs/<dir>/meta."""
    out = {}
    for d in DIRS:
        try:
            with open(os.path.join(top, "configs", d, "meta")) as f:
                text = f.read()
        except OSError:
            continue
        for line in text.splitlines():
            words = line.split("#", 1)[0].split()
            if words:
                out.setdefault(words[0], set()).update(words[1:])
    return out


def purposes(patch, top=TOP):
    """The purposes declared for patch (an empty set for stock)."""
    n = number(patch)
    return set() if n is None else read_meta(top).get(n, set())


def is_for(patch, purpose, top=TOP):
    return purpose in purposes(patch, top)
