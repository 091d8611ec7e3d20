# SPDX-License-Identifier: GPL-2.0
"""gupbench on a LAVA board farm: job definitions, a device dictionary for a
local dispatcher, and the collector of finished jobs' results.

  gupb lava jobs --out DIR --artifacts URL RUN...
      RUN is STATE:PATCH:DEVICE_TYPE:CPU with the kernel Image and the
      initramfs under URL/<STATE>-<PATCH>-<CPU>/; one job per run, named
      gupbench-<state>-<patch>-<device type>-<cpu>.yaml
  gupb lava device --job JOB.yaml --out FILE [--templates DIR]
      render the job's device type (lava-server's <type>.jinja2) with the
      job's context, as the server does for each job, into a device
      dictionary for a local `lava-run --device FILE JOB.yaml`
  gupb lava collect --out DIR (--url URL [--token T] JOB_ID... | --log FILE)
      fetch each finished job's log through LAVA's REST API
      (/api/v0.2/jobs/<id>/logs/), or read a local lava-run log, and write
      DIR/<job>/: console.txt, tap.txt (the TAP lines, which the job's
      monitors action also made LAVA test cases), results/ (the guest's
      results archive, shipped on the console between markers: works on
      every lab, with no artifact server) with results/result.json ready
      for `make compare` / `make answer`.

The guest is the test bed's own initramfs (scripts/vm/initramfs.sh); with
gupb.lava on its command line tests/vm/init prints the TAP section and
the archive instead of writing a results disk.
"""
import argparse
import base64
import io
import json
import os
import re
import sys
import tarfile
import urllib.request

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
from gupb import fileio
DEVICE_TYPES = os.path.join(TOP, "configs", "lava", "device-types.yaml")
TAP_START, TAP_END = "GUPB-LAVA: start", "GUPB-LAVA: end"
RES_BEGIN, RES_END = "GUPB-RESULTS-BEGIN", "GUPB-RESULTS-END"
# One TAP line shape (tests/vm/init turns "# SKIP" lines into "skip N - ")
TAP_RE = r"(?P<result>not ok|ok|skip) [0-9]+ - (?P<test_case_id>[^\r\n]+)"


class Error(fileio.InputError):
    """Bad input or a job that cannot be collected; the message says why."""


def yaml_mod():
    try:
        import yaml
    except ImportError:
        raise Error("python3-yaml missing: apt-get install python3-yaml "
                    "(make deps-fleet)")
    return yaml


def device_types(path=DEVICE_TYPES):
    with open(path) as f:
        return yaml_mod().safe_load(f)


def parse_run(spec, types):
    parts = spec.split(":")
    if len(parts) != 4 or not all(parts):
        raise Error("bad run %r: want STATE:PATCH:DEVICE_TYPE:CPU" % spec)
    state, patch, dtype, cpu = parts
    if dtype not in types:
        raise Error("unknown device type %r (configs/lava/device-types.yaml"
                    " has %s)" % (dtype, ", ".join(sorted(types))))
    if cpu not in types[dtype]["cpus"]:
        raise Error("device type %s runs cpus %s, not %r" %
                    (dtype, types[dtype]["cpus"], cpu))
    return {"state": state, "patch": patch, "type": dtype, "cpu": cpu}


def job(run, types, artifacts):
    """One LAVA job definition (a dict) for a run."""
    t = types[run["type"]]
    art = "%s/%s-%s-%s" % (artifacts.rstrip("/"), run["state"],
                           run["patch"], run["cpu"])
    name = "gupbench-%s-%s-%s-%s" % (run["state"], run["patch"],
                                     run["type"], run["cpu"])
    d = {
        "device_type": run["type"],
        "job_name": name,
        "timeouts": {"job": {"minutes": 60}, "action": {"minutes": 45},
                     # the suite is quiet for minutes at a time
                     "connection": {"minutes": 20}},
        "priority": "medium",
        "visibility": "public",
        "metadata": {"gupbench.state": run["state"],
                     "gupbench.patch": run["patch"],
                     "gupbench.cpu": run["cpu"]},
    }
    if t["boot"] == "qemu":
        ctx = dict(t["context"])
        ctx["cpu"] = run["cpu"]
        d["context"] = ctx
        deploy = {"to": "tmpfs", "images": {
            "kernel": {"image_arg": "-kernel {kernel}",
                       "url": art + "/Image"},
            "initrd": {"image_arg": "-initrd {initrd}",
                       "url": art + "/initramfs.cpio.gz"}}}
        boot = {"method": "qemu", "media": "tmpfs"}
    else:
        deploy = {"to": t["deploy"],
                  "kernel": {"url": art + "/Image", "type": "image"},
                  "ramdisk": {"url": art + "/initramfs.cpio.gz",
                              "compression": "gz"},
                  "dtb": {"url": art + "/" + t["dtb"]}}
        boot = {"method": t["boot"], "commands": t["commands"]}
    deploy["timeout"] = {"minutes": 10}
    # The boot waits for the guest's first marker; the monitors action
    # below must not share it (the boot step would consume it).
    boot.update({"timeout": {"minutes": 10},
                 "prompts": ["GUPB-VM: booted"]})
    test = {"timeout": {"minutes": 45}, "monitors": [{
        "name": "gupbench", "start": TAP_START, "end": TAP_END,
        # up to the line's end: pexpect matches a streaming console, and
        # "[^\r\n]+" alone matches as soon as one character has arrived.
        # The end is any line-end character: the serial console's lines end
        # in "\r\r\n" as often as "\r\n" (an "\r?\n" matched nothing).
        "pattern": TAP_RE + r"[\r\n]",
        "fixupdict": {"ok": "pass", "not ok": "fail", "skip": "skip"}}]}
    d["actions"] = [{"deploy": deploy}, {"boot": boot}, {"test": test}]
    return name, d


def cmd_jobs(a):
    types = device_types(a.device_types)
    yaml = yaml_mod()
    os.makedirs(a.out, exist_ok=True)
    for spec in a.runs:
        name, d = job(parse_run(spec, types), types, a.artifacts)
        path = os.path.join(a.out, name + ".yaml")
        fileio.write_text(path, yaml.safe_dump(d, sort_keys=False))
        print(path)


def cmd_device(a):
    try:
        import jinja2
    except ImportError:
        raise Error("python3-jinja2 missing (make deps-fleet)")
    with open(a.job) as f:
        jd = yaml_mod().safe_load(f)
    dtype = jd["device_type"]
    if not os.path.isfile(os.path.join(a.templates, dtype + ".jinja2")):
        raise Error("no %s.jinja2 in %s: the device-type templates come "
                    "with lava-server (apt-get download lava-server; "
                    "dpkg -x)" % (dtype, a.templates))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(a.templates),
                             trim_blocks=True, autoescape=False)
    text = env.from_string(
        "{%% extends '%s.jinja2' %%}\n"
        "{%% set mac_addr = '52:54:00:12:34:59' %%}\n" % dtype
    ).render(**jd.get("context", {}))
    yaml_mod().safe_load(text)      # a device dictionary is YAML
    fileio.write_text(a.out, text)
    print(a.out)


def log_entries(log_text):
    """A LAVA job log: the server's output.yaml is a YAML list of
    {dt, lvl, msg} ("- {...}" per line); lava-run prints the same entries
    as one JSON object per line. Either way, one entry per line."""
    out = []
    for line in log_text.splitlines():
        line = line.strip()
        if line.startswith("- "):
            line = line[2:]
        if not line.startswith("{"):
            continue
        try:
            out.append(json.loads(line))
        except ValueError:
            try:
                out.append(yaml_mod().safe_load(line))
            except Exception:
                continue
    return [e for e in out if isinstance(e, dict)]


def console_of(log_text):
    """The guest console (lvl 'target' entries), one line per entry."""
    return [e["msg"].rstrip("\r") for e in log_entries(log_text)
            if e.get("lvl") == "target" and isinstance(e.get("msg"), str)]


def test_cases(log_text):
    """The test cases LAVA recorded (lvl 'results'), as {case: result}."""
    return {e["msg"]["case"]: e["msg"]["result"]
            for e in log_entries(log_text)
            if e.get("lvl") == "results" and isinstance(e.get("msg"), dict)
            and "case" in e["msg"]}


def between(lines, begin, end):
    out, on = [], False
    for line in lines:
        if line.strip() == begin:
            on, out = True, []
        elif line.strip() == end and on:
            return out
        elif on:
            out.append(line)
    return None


def collect(log_text, out):
    """Write console.txt, tap.txt and results/ from one job log; returns a
    summary dict."""
    lines = console_of(log_text)
    if not lines:
        raise Error("the job log has no console lines (did it boot?)")
    os.makedirs(out, exist_ok=True)
    fileio.write_text(os.path.join(out, "console.txt"), "\n".join(lines) + "\n")
    section = between(lines, TAP_START, TAP_END)
    if section is None:
        raise Error("no TAP section (%s ... %s) in the console" %
                    (TAP_START, TAP_END))
    # the section also carries the results archive: TAP lines only
    tap = [l for l in section if re.match(TAP_RE, l)]
    fileio.write_text(os.path.join(out, "tap.txt"), "\n".join(tap) + "\n")
    blob = between(section, RES_BEGIN, RES_END)
    if not blob:
        raise Error("no results archive (%s ... %s) in the console" %
                    (RES_BEGIN, RES_END))
    try:
        data = base64.b64decode("".join(l.strip() for l in blob),
                                validate=True)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
            members = [m for m in tf.getmembers() if m.isfile() and
                       not m.name.startswith("/") and ".." not in m.name]
            tf.extractall(out, members=members)
    except (ValueError, tarfile.TarError) as e:
        raise Error("the results archive does not decode: %s" % e)
    res = os.path.join(out, "results", "result.json")
    if not os.path.isfile(res):
        raise Error("no results/result.json in the archive")
    try:
        fileio.read_json(res)
    except fileio.InputError as e:
        raise Error("the archive's result: %s" % e)
    results = [re.match(TAP_RE, l) for l in tap]
    cases = test_cases(log_text)
    fileio.write_text(os.path.join(out, "lava-cases.json"),
                 json.dumps(cases, indent=1, sort_keys=True) + "\n")
    return {"tap_lines": len(tap),
            "failed": sum(1 for m in results if m and
                          m.group("result") == "not ok"),
            "lava_cases": len(cases),
            "lava_failed": sorted(c for c, r in cases.items() if r == "fail"),
            "result": res}


def fetch(url, token, path):
    req = urllib.request.Request(url.rstrip("/") + path)
    if token:
        req.add_header("Authorization", "Token " + token)
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read().decode("utf-8", "replace")


def cmd_collect(a):
    if a.log:
        with open(a.log) as f:
            s = collect(f.read(), a.out)
        print(json.dumps(s))
        return 0 if s["failed"] == 0 else 1
    if not a.url or not a.jobs:
        raise Error("collect needs --log FILE, or --url and job ids")
    bad = 0
    for jid in a.jobs:
        meta = json.loads(fetch(a.url, a.token, "/api/v0.2/jobs/%s/" % jid))
        if meta.get("state") != "Finished":
            print("job %s: %s, not finished: skipped" % (jid,
                  meta.get("state")), file=sys.stderr)
            bad += 1
            continue
        log = fetch(a.url, a.token, "/api/v0.2/jobs/%s/logs/" % jid)
        s = collect(log, os.path.join(a.out, str(jid)))
        s.update({"job": jid, "health": meta.get("health")})
        print(json.dumps(s))
        bad += s["failed"] > 0
    return 1 if bad else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    j = sub.add_parser("jobs")
    j.add_argument("--out", required=True)
    j.add_argument("--artifacts", required=True)
    j.add_argument("--device-types", default=DEVICE_TYPES)
    j.add_argument("runs", nargs="+")
    d = sub.add_parser("device")
    d.add_argument("--job", required=True)
    d.add_argument("--out", required=True)
    d.add_argument("--templates", default="/usr/share/lava-server/device-types")
    c = sub.add_parser("collect")
    c.add_argument("--out", required=True)
    c.add_argument("--url")
    c.add_argument("--token", default=os.environ.get("LAVA_TOKEN"))
    c.add_argument("--log")
    c.add_argument("jobs", nargs="*")
    a = ap.parse_args(argv)
    try:
        return {"jobs": cmd_jobs, "device": cmd_device,
                "collect": cmd_collect}[a.cmd](a) or 0
    except (Error, OSError) as e:
        print("lava: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
