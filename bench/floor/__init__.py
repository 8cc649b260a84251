"""The floor: a bare Django app whose one view reads 50 rows from SQLite and renders them.

`bench/bench_http.py` serves it beside chibo under the same server settings; a chibo page's
throughput as a share of the floor's, measured in the same run, survives a noisy machine."""
