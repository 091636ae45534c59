# python3 lib-ci-run.py github|gitlab <file> <remote> <dir>: run a CI file
# of contrib/ci/ as its CI would, against the bare repository <remote>:
# the checkout as the file asks for it (fetch depth, tags) into <dir>,
# then every run:/script: line in order, in one shell per step (GitHub)
# or one shell for the job (GitLab), with the variables each CI gives.
# Steps that use an action other than checkout are an error: the test
# must know every step it skips.
import os
import re
import subprocess
import sys

import yaml

kind, path, remote, workdir = sys.argv[1:5]
doc = yaml.safe_load(open(path))
env = dict(os.environ)


def sh(cmd, **kw):
    print("+ " + (cmd if isinstance(cmd, str) else " ".join(cmd)),
          flush=True)
    subprocess.run(cmd, check=True, env=env, **kw)


def clone(depth, tags, branch):
    args = ["git", "clone", "-q", "--branch", branch]
    if depth:
        args += ["--depth", str(depth)]
    if not tags:
        args += ["--no-tags"]
    sh(args + [remote, workdir])


if kind == "github":
    (job,) = doc["jobs"].values()
    branch = doc[True]["push"]["branches"][0] if True in doc else \
        doc["on"]["push"]["branches"][0]
    outputs = {}
    tmp = os.path.join(os.path.dirname(os.path.abspath(workdir)), "runner")
    os.makedirs(tmp, exist_ok=True)
    env.update(GITHUB_RUN_ID="4242", RUNNER_TEMP=tmp,
               GITHUB_PATH=os.path.join(tmp, "path"),
               GITHUB_ENV=os.path.join(tmp, "env"))
    for step in job["steps"]:
        if "uses" in step:
            if not step["uses"].startswith("actions/checkout@"):
                sys.exit("unknown action " + step["uses"])
            w = step.get("with", {})
            clone(int(w.get("fetch-depth", 1)), w.get("fetch-tags", False),
                  branch)
            continue
        script = step["run"]
        # ${{ steps.<id>.outputs.<name> }}
        script = re.sub(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}",
                        lambda m: outputs[m.group(1)][m.group(2)], script)
        out = os.path.join(tmp, "output")
        open(out, "w").close()
        env["GITHUB_OUTPUT"] = out
        sh(["bash", "-e", "-c", script], cwd=workdir)
        if "id" in step:
            outputs[step["id"]] = dict(
                line.split("=", 1) for line in open(out).read().splitlines())
elif kind == "gitlab":
    (name, job), = [(k, v) for k, v in doc.items() if "script" in v]
    v = job.get("variables", {})
    depth = int(v.get("GIT_DEPTH", 20))
    sha = subprocess.run(["git", "--git-dir", remote, "rev-parse", "main"],
                         check=True, capture_output=True,
                         text=True).stdout.strip()
    clone(depth, "--tags" in v.get("GIT_FETCH_EXTRA_FLAGS", ""), "main")
    sh(["git", "checkout", "-q", "--detach", sha], cwd=workdir)
    env.update(CI_COMMIT_BRANCH="main", CI_DEFAULT_BRANCH="main",
               CI_COMMIT_SHA=sha, CI_PIPELINE_ID="777",
               CI_SERVER_HOST="gitlab.invalid", CI_PROJECT_PATH="team/app")
    lines = job.get("before_script", []) + job["script"]
    sh(["bash", "-e", "-o", "pipefail", "-c", "\n".join(lines)],
       cwd=workdir)
else:
    sys.exit("github or gitlab")
