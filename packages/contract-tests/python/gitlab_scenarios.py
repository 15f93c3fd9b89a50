"""Drives python-gitlab (Debian's python3-gitlab) against a buildsim server and prints one JSON result.

Usage: /usr/bin/python3 gitlab_scenarios.py <scenario> [json-args]
Env: GITLAB_URL (server base URL), GITLAB_TOKEN (private token); GITLAB_AUTH=oauth|job switches the
token to Authorization: Bearer / JOB-TOKEN.
Exit codes: 0 with the JSON result on stdout; 3 when python-gitlab cannot be imported; 2 for a usage error.
"""

import base64
import json
import os
import sys
import warnings

try:
    import gitlab
    from gitlab import exceptions as gl_exc
except ImportError as e:  # The contract tests must fail loudly, never skip.
    print(f"python-gitlab is not importable from {sys.executable}: {e}", file=sys.stderr)
    sys.exit(3)


def client(token=None, auth=None):
    """A Gitlab client for the server under test, authenticated the way the environment says."""
    url = os.environ["GITLAB_URL"]
    token = token if token is not None else os.environ.get("GITLAB_TOKEN")
    auth = auth or os.environ.get("GITLAB_AUTH", "private")
    if auth == "oauth":
        return gitlab.Gitlab(url, oauth_token=token)
    if auth == "job":
        return gitlab.Gitlab(url, job_token=token)
    return gitlab.Gitlab(url, private_token=token)


def error_of(fn):
    """Runs fn and describes the python-gitlab exception it raised (or None if it raised nothing)."""
    try:
        fn()
    except gl_exc.GitlabError as e:
        return {
            "class": type(e).__name__,
            "bases": [c.__name__ for c in type(e).__mro__],
            "response_code": e.response_code,
            "error_message": str(e.error_message),
            "str": str(e),
        }
    return None


def job_summary(job):
    attrs = job.attributes if hasattr(job, "attributes") else job
    return {"id": attrs["id"], "status": attrs["status"], "name": attrs["name"]}


def project(project_id=1):
    return client().projects.get(project_id, lazy=True)


def list_jobs(args):
    kwargs = dict(args.get("kwargs", {}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jobs = project(args.get("project", 1)).jobs.list(**kwargs)
    return {
        "jobs": [job_summary(j) for j in jobs],
        "warnings": [str(w.message) for w in caught],
    }


def iterate_jobs(args):
    listing = project().jobs.list(iterator=True, **args.get("kwargs", {}))
    meta = {
        "total": listing.total,
        "total_pages": listing.total_pages,
        "per_page": listing.per_page,
        "current_page": listing.current_page,
        "next_page": listing.next_page,
        "len": len(listing),
    }
    return {"meta": meta, "ids": [j.id for j in listing]}


def pipeline_jobs(args):
    pipeline = project().pipelines.get(args["pipeline_id"], lazy=True)
    return {"jobs": [job_summary(j) for j in pipeline.jobs.list(**args.get("kwargs", {}))]}


def get_job(args):
    job = project().jobs.get(args["job_id"])
    return {"class": type(job).__name__, "attributes": job.attributes}


def trace(args):
    data = project().jobs.get(args["job_id"], lazy=True).trace()
    return {"type": type(data).__name__, "text": data.decode("utf-8")}


def artifacts(args):
    job = project().jobs.get(args["job_id"], lazy=True)
    out = {"archive_b64": base64.b64encode(job.artifacts()).decode("ascii")}
    if "path" in args:
        out["file_b64"] = base64.b64encode(job.artifact(args["path"])).decode("ascii")
    return out


def cancel(args):
    result = project().jobs.get(args["job_id"], lazy=True).cancel()
    return {"type": type(result).__name__, "result": result}


def retry(args):
    result = project().jobs.get(args["job_id"], lazy=True).retry()
    return {"type": type(result).__name__, "result": result}


def erase(args):
    jobs = project().jobs
    result = jobs.get(args["job_id"], lazy=True).erase()
    after = jobs.get(args["job_id"])
    return {
        "result": result,
        "erased_at": after.erased_at,
        "trace": jobs.get(args["job_id"], lazy=True).trace().decode("utf-8"),
        "artifacts_error": error_of(lambda: jobs.get(args["job_id"], lazy=True).artifacts()),
    }


def keep(args):
    jobs = project().jobs
    result = jobs.get(args["job_id"], lazy=True).keep_artifacts()
    return {"result": result, "artifacts_expire_at": jobs.get(args["job_id"]).artifacts_expire_at}


def play(args):
    jobs = project().jobs
    result = jobs.get(args["job_id"], lazy=True).play()
    after = jobs.get(args["job_id"])
    return {"result": result, "status": after.status, "user": after.user["username"]}


def delete_artifacts(args):
    jobs = project().jobs
    result = jobs.get(args["job_id"], lazy=True).delete_artifacts()
    after = jobs.get(args["job_id"])
    return {
        "result": result,
        "has_artifacts_file": "artifacts_file" in after.attributes,
        "artifacts_error": error_of(lambda: jobs.get(args["job_id"], lazy=True).artifacts()),
    }


def delete_pipeline(args):
    """Deletes a pipeline with ProjectPipeline.delete(): a developer's attempt first, then the caller's."""
    pipelines = project().pipelines
    as_dev = client(token=args["dev_token"]).projects.get(1, lazy=True).pipelines
    denied = error_of(lambda: as_dev.get(args["pipeline_id"], lazy=True).delete())
    result = pipelines.get(args["pipeline_id"], lazy=True).delete()
    return {
        "denied": denied,
        "result": result,
        "pipeline_error": error_of(lambda: pipelines.get(args["pipeline_id"])),
        "job_error": error_of(lambda: project().jobs.get(args["job_id"])),
        "pipelines": [p.id for p in pipelines.list(get_all=True)],
    }


def commit_statuses(args):
    """An external CI reports on a commit with commit.statuses.create(), then lists the commit's statuses."""
    commit = project().commits.get(args["sha"], lazy=True)
    report = {"name": "external-ci", "target_url": "https://ci.example/runs/1", "description": "checks"}
    running = commit.statuses.create({"state": "running", **report})
    done = commit.statuses.create({"state": "success", **report})
    listed = commit.statuses.list(get_all=True)
    return {
        "running": running.attributes,
        "done": done.attributes,
        "listed": [{"id": s.id, "name": s.name, "status": s.status, "target_url": s.target_url} for s in listed],
        "bad_state": error_of(lambda: commit.statuses.create({"state": "bogus", "name": "external-ci"})),
        "again": error_of(lambda: commit.statuses.create({"state": "running", **report})),
    }


def errors(args):
    jobs = project().jobs
    bad = client(token="not-a-token").projects.get(1, lazy=True).jobs
    return {
        "unauthorized": error_of(lambda: bad.get(1)),
        "unauthorized_list": error_of(lambda: bad.list()),
        "not_found": error_of(lambda: jobs.get(999)),
        "not_retryable": error_of(lambda: jobs.get(args["running_job_id"], lazy=True).retry()),
        "not_erasable": error_of(lambda: jobs.get(args["running_job_id"], lazy=True).erase()),
        "unplayable": error_of(lambda: jobs.get(args["running_job_id"], lazy=True).play()),
        "bad_scope": error_of(lambda: jobs.list(scope=["bogus"])),
        "no_artifacts": error_of(lambda: jobs.get(args["running_job_id"], lazy=True).artifacts()),
    }


def forbidden(args):
    """A caller without the needed role: each action's own exception class with a 403."""
    jobs = client().projects.get(1, lazy=True).jobs
    job_id = args["job_id"]
    actions = {
        "get": lambda: jobs.get(job_id),
        "cancel": lambda: jobs.get(job_id, lazy=True).cancel(),
        "retry": lambda: jobs.get(job_id, lazy=True).retry(),
        "erase": lambda: jobs.get(job_id, lazy=True).erase(),
        "play": lambda: jobs.get(job_id, lazy=True).play(),
        "keep_artifacts": lambda: jobs.get(job_id, lazy=True).keep_artifacts(),
        "delete_artifacts": lambda: jobs.get(job_id, lazy=True).delete_artifacts(),
    }
    return {name: error_of(actions[name]) for name in args["actions"]}


def instance(args):
    gl = client()
    gl.auth()
    by_path = gl.projects.get("acme/app")
    pipelines = gl.projects.get(1, lazy=True).pipelines
    return {
        "user": gl.user.username,
        "version": list(gl.version()),
        "project": {"id": by_path.id, "path_with_namespace": by_path.path_with_namespace},
        "pipelines": [p.id for p in pipelines.list(get_all=True, per_page=1)],
        "success_pipelines": [p.id for p in pipelines.list(status="success")],
        "pipeline": pipelines.get(2).status,
    }


def job_token(args):
    """A running job's token reads its own project's jobs and may not act on them."""
    jobs = client().projects.get(1, lazy=True).jobs
    return {
        "get": job_summary(jobs.get(args["job_id"])),
        "list": len(jobs.list(get_all=True)),
        "cancel": error_of(lambda: jobs.get(args["job_id"], lazy=True).cancel()),
    }


def transient(args):
    """Gets one job with retry_transient_errors as asked: the job, or the error python-gitlab raised."""
    gl = gitlab.Gitlab(
        os.environ["GITLAB_URL"],
        private_token=os.environ["GITLAB_TOKEN"],
        retry_transient_errors=args.get("retry_transient_errors", False),
    )
    jobs = gl.projects.get(1, lazy=True).jobs
    got = []
    error = error_of(lambda: got.append(job_summary(jobs.get(args["job_id"]))))
    return {"job": got[0] if got else None, "error": error}


SCENARIOS = {
    f.__name__: f
    for f in [
        list_jobs,
        iterate_jobs,
        pipeline_jobs,
        get_job,
        trace,
        artifacts,
        cancel,
        retry,
        erase,
        keep,
        play,
        delete_artifacts,
        delete_pipeline,
        commit_statuses,
        errors,
        forbidden,
        instance,
        job_token,
        transient,
    ]
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in SCENARIOS:
        print(f"usage: gitlab_scenarios.py <{'|'.join(SCENARIOS)}> [json-args]", file=sys.stderr)
        sys.exit(2)
    args = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    result = SCENARIOS[sys.argv[1]](args)
    print(json.dumps({"gitlab_version": gitlab.__version__, "result": result}))


if __name__ == "__main__":
    main()
