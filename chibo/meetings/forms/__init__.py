"""The meetings app's forms, one module per part of a meeting's life, as the views are: the
secretary planning it (`planning`), members attending it (`attending`), and holding it and what
follows (`holding`). They validate; the views and `holding` save."""
