"""The search index of every kind of record (decision record 19): where each kind's words come
from (`sources`), how the databases hold and query them (`engine`, `schema`), and how the index
is kept current (`indexing`). `chibo.library.searching` is what pages call."""
