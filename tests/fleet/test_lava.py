# SPDX-License-Identifier: GPL-2.0
"""Host-side tests of scripts/fleet/lava.py (make check-fleet-unit): job
definitions, and the collector on made-up job logs in both shapes a LAVA
log comes in. The real dispatcher run is tests/fleet/check-lava.sh."""
import base64
import io
import json
import os
import shutil
import tarfile
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
from gupb import lava


def archive(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return base64.b64encode(buf.getvalue()).decode()


def log(lines, yaml_list=False):
    out = []
    for i, l in enumerate(lines):
        e = json.dumps({"dt": "2026-01-01T00:00:%02d" % (i % 60),
                        "lvl": "target", "msg": l})
        out.append(("- " if yaml_list else "") + e)
    out.append(json.dumps({"dt": "x", "lvl": "results", "msg": {
        "case": "kmod_info", "definition": "gupbench", "result": "pass"}}))
    return "\n".join(out) + "\n"


RESULT = json.dumps({"context": {"gupbench_schema": "1"},
                     "benchmarks": []}).encode()


def console(blob):
    b64 = [blob[i:i + 76] for i in range(0, len(blob), 76)]
    return (["GUPB-VM: booted 6.12.117", lava.TAP_START,
             "ok 1 - kmod: info", "skip 2 - kmod: no thp",
             "not ok 3 - guest: bench exit 1",
             lava.RES_BEGIN] + b64 + [lava.RES_END, lava.TAP_END])


class TestJobs(unittest.TestCase):
    def setUp(self):
        self.types = lava.device_types()

    def test_qemu_job(self):
        run = lava.parse_run("arm64-16k-52-lpa2:0001:qemu:neoverse-n1",
                             self.types)
        name, d = lava.job(run, self.types, "https://lab/art/")
        self.assertEqual(name, "gupbench-arm64-16k-52-lpa2-0001-qemu-neoverse-n1")
        self.assertEqual(d["context"]["cpu"], "neoverse-n1")
        self.assertIn("gupb.lava", " ".join(d["context"]["extra_options"]))
        dep, boot, test = (a[k] for a, k in zip(d["actions"],
                                                ("deploy", "boot", "test")))
        self.assertEqual(dep["images"]["kernel"]["url"],
                         "https://lab/art/arm64-16k-52-lpa2-0001-neoverse-n1/Image")
        mon = test["monitors"][0]
        # the boot prompt must not be the monitor's start marker
        self.assertNotIn(mon["start"], boot["prompts"])
        import re
        for end in ("\r\n", "\r\r\n", "\n"):
            m = re.match(mon["pattern"], "not ok 3 - guest: bench exit 1" + end)
            self.assertEqual(mon["fixupdict"][m.group("result")], "fail")
            self.assertEqual(m.group("test_case_id"), "guest: bench exit 1")
        # a line still arriving does not match yet (LAVA reads a stream)
        self.assertIsNone(re.match(mon["pattern"], "not ok 3 - gue"))

    def test_board_job(self):
        run = lava.parse_run("arm64-4k-48:none:juno-r2:hw", self.types)
        _, d = lava.job(run, self.types, "https://lab/art")
        self.assertNotIn("context", d)
        self.assertEqual(d["actions"][0]["deploy"]["to"], "tftp")
        self.assertEqual(d["actions"][1]["boot"]["method"], "u-boot")

    def test_bad_runs(self):
        for spec in ("a:b:c", "arm64-4k-48:none:nosuch:max",
                     "arm64-4k-48:none:qemu:hw"):
            with self.assertRaises(lava.Error):
                lava.parse_run(spec, self.types)


class TestCollect(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_both_log_shapes(self):
        blob = archive({"results/result.json": RESULT,
                        "results/kmod_test.tap": b"ok 1 - info\n"})
        for yaml_list in (False, True):
            out = os.path.join(self.tmp, str(yaml_list))
            s = lava.collect(log(console(blob), yaml_list), out)
            self.assertEqual(s["tap_lines"], 3)
            self.assertEqual(s["failed"], 1)
            self.assertEqual(s["lava_cases"], 1)
            with open(os.path.join(out, "results", "result.json"), "rb") as f:
                self.assertEqual(f.read(), RESULT)

    def test_refuses_what_it_cannot_use(self):
        blob = archive({"results/other": b"x"})
        cases = {
            "no console": "",
            "no TAP": log(["GUPB-VM: booted"]),
            "no archive": log(console(blob)[:5] + [lava.TAP_END]),
            "bad archive": log(console(blob)[:6] + ["!!notbase64", lava.RES_END,
                                                    lava.TAP_END]),
            "no result.json": log(console(blob)),
        }
        for what, text in cases.items():
            with self.assertRaises(lava.Error, msg=what):
                lava.collect(text, os.path.join(self.tmp, "x"))

    def test_archive_cannot_escape(self):
        blob = archive({"results/result.json": RESULT,
                        "../escape": b"x"})
        out = os.path.join(self.tmp, "in")
        lava.collect(log(console(blob)), out)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "escape")))


if __name__ == "__main__":
    unittest.main()
