"""The shell: the CLI, the inbox pipeline, the nightly run, report writers, the scheduler and the
simulator. Logging is configured here and only here."""
