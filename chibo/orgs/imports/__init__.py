"""Importing members from a spreadsheet export of the national member database.

`reader` turns an XLSX or CSV file into numbered rows, `rows` checks them (the file format is
described there), `apply` runs the dry run and the all-or-nothing import; the command
`chibo import` and the administrators' pages (`views`, `tasks`, `uploads`) are built on those.
"""
