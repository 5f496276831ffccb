"""The machinery of `edition build`: the product cache (what each product was made from),
the executors (one process, a local pool, a Dask cluster) and the progress lines.
The stages use it through `BuildContext`; on their own (`edition html` …) they run without."""

from .cache import BuildCache, digest, program_version
from .executor import Executor, make_executor, worker_state
from .progress import Progress

__all__ = ["BuildCache", "Executor", "Progress", "digest", "make_executor", "program_version", "worker_state"]
