"""Run one function in the background: "call `module:name` with these arguments", wherever it can run.

Work that takes longer than a web request should (a PDF record, a large cohort import) is recorded
first as a row its page can follow, committed, then handed here with the row's id:

- "inline" (the runner setting, e.g. REPORTS_RECORD_RUNNER or IMPORT_JOB_RUNNER): in the request
  itself, for tests on the rolled-back session;
- with REDIS_URL set, as an RQ job on the app's queue, taken by `flask --app wsgi academy worker`.
  When Redis cannot be reached the work runs locally instead, so asking never fails (never a 500);
- otherwise on a spawned worker process of this web process, with its own app built from the factory
  the web app was made by (`app.extensions["academy.factory"]`): never in the web thread.

The function is named by its import path, so this module imports no feature. It runs inside an app
context, records its own progress and failure in its row, and must be safe to run in any process.
"""

import importlib
import multiprocessing
import os
import pickle  # only dumps, to test what can go to a worker; nothing is ever loaded here  # nosec B403
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

DEFAULT_QUEUE = "academy-reports"  # the one queue every worker takes from (the name predates other jobs)
RQ_JOB_TIMEOUT = 600  # seconds
RQ_RESULT_TTL = 3600
INLINE = "inline"
# What a page may say when the job queue (Redis) is down and the web server does the work itself.
QUEUE_DOWN = "The job queue could not be reached, so this server is doing the work itself."

_inline: ContextVar[bool] = ContextVar("academy_job_inline", default=False)
# One pool of one worker process per app: a worker is built with its app's settings (its database), so
# apps in one process (tests) never share one.
_pools: "weakref.WeakKeyDictionary[Flask, ProcessPoolExecutor]" = weakref.WeakKeyDictionary()
_pool_lock = threading.Lock()


def queue_name(app: Flask) -> str:
    return app.config.get("REPORTS_QUEUE") or os.environ.get("REPORTS_QUEUE") or DEFAULT_QUEUE


def redis_connection(url: str) -> Redis:
    return Redis.from_url(url)


def resolve(target: str) -> Callable[..., Any]:
    """The function named "package.module:function"."""
    module, _, name = target.partition(":")
    function = getattr(importlib.import_module(module), name)
    if not callable(function):
        raise TypeError(f"{target} is not a function")
    return function


def running_inline() -> bool:
    """Whether the function runs in the request that asked for it: it must then leave the request's
    session in place (a background run removes its session when done)."""
    return _inline.get()


def call(target: str, *args: Any) -> Any:
    """Run the function named `target` (what a worker process or an RQ job is handed)."""
    return resolve(target)(*args)


def run_in_background(app: Flask, target: str, *args: Any, runner_setting: str, on_lost: str | None = None) -> bool:
    """Start `target(*args)` in the background (or at once when `app.config[runner_setting]` is
    "inline") and return at once. `on_lost(*args)` runs here, in an app context, when a local worker
    process dies before the function could record anything itself. Returns False when Redis is set
    but could not be reached, so the work runs on this server instead (the page may say so)."""
    resolve(target)  # a wrong name fails here, in the request, not later in a worker
    if app.config.get(runner_setting, "background") == INLINE:
        token = _inline.set(True)
        try:
            call(target, *args)
        finally:
            _inline.reset(token)
        return True
    if app.config.get("REDIS_URL"):
        try:
            queue = Queue(queue_name(app), connection=redis_connection(app.config["REDIS_URL"]))
            queue.connection.ping()  # refused here rather than half way through queueing
            queue.enqueue(call, target, *args, job_timeout=RQ_JOB_TIMEOUT, result_ttl=RQ_RESULT_TTL)
            return True
        except RedisError:
            app.logger.exception("Redis could not be reached: %s%s runs on this server instead", target, args)
            _submit_local(app, target, args, on_lost)
            return False
    _submit_local(app, target, args, on_lost)
    return True


def _submit_local(app: Flask, target: str, args: tuple[Any, ...], on_lost: str | None) -> None:
    with _pool_lock:
        pool = _pools.get(app)
        if pool is None:
            pool = _pools[app] = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),  # never fork a threaded web process
                initializer=init_worker,
                initargs=(app.extensions["academy.factory"], worker_config(app)),
            )
        future = pool.submit(call, target, *args)

    def _done(finished: Future) -> None:
        error = None if finished.cancelled() else finished.exception()
        if error is None and not finished.cancelled():
            return
        app.logger.error("Background work %s%s failed", target, args, exc_info=error)
        if error is None or isinstance(error, BrokenProcessPool):
            with _pool_lock:
                if _pools.get(app) is pool:
                    del _pools[app]  # a worker died: start a fresh pool next time
            if on_lost:
                with app.app_context():
                    call(on_lost, *args)

    future.add_done_callback(_done)


def worker_config(app: Flask) -> dict[str, Any]:
    """The app's settings that can be sent to a worker process."""
    config = {}
    for key, value in app.config.items():
        if not key.isupper():
            continue
        try:
            pickle.dumps(value)
        except Exception:  # a setting that cannot be pickled stays behind, by design  # nosec B112
            continue
        config[key] = value
    return config


def init_worker(factory: Callable[[Any], Flask], config: dict[str, Any]) -> None:
    """Runs once in each worker process: its own app (from the factory the web app was built with),
    database connections and fonts."""
    factory(SimpleNamespace(**config)).app_context().push()
