#!/usr/bin/env python
from chibo.cli import main

if __name__ == "__main__":
    main()
