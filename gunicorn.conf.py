"""gunicorn settings. gunicorn reads this file from the directory it starts in, so
`gunicorn sro_program.wsgi ...` (README, Production) and the benchmark both use it."""

import gc


def post_worker_init(worker):
    # The application is loaded. Move its long-lived objects (about 120,000: modules, URL
    # patterns, model metadata) out of the garbage collector's reach, and collect young
    # objects less often, so no request pays for a collection of objects that live as long as
    # the worker (README, Benchmark, has the figures).
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
