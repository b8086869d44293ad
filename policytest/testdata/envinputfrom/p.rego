package main

import rego.v1

deny contains "x" if input.x
