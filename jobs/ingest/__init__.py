"""The inbox pipeline, by job:

- `pipeline.py`: `Ingestor`, the run over the inbox and the way of one file, top to bottom;
- `reading.py`: each file read in a child process under the reader limits, read ahead in order;
- `binding.py`: what a file holds bound to registered accounts, or refused with its reason;
- `layout.py`: where each file goes (the archive layout, rejected/).

The store side is store/files.py; the file-name rules are reconcile/filenames.py.
"""

from jobs.ingest.binding import Rejection
from jobs.ingest.pipeline import Ingestor, IngestReport

__all__ = ["IngestReport", "Ingestor", "Rejection"]
