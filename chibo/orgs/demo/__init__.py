"""The demo: Uông Bí's party organisation as it really is, with generated people in it.

`plan` decides the tree, `people` draws the members, `build` writes both in bulk and
`accounts` gives one sign-in per role. `chibo demo` runs them.
"""
