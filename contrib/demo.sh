#!/bin/sh
# The whole workflow on a scratch repository, each step printed.
echo "demo: not written yet"
