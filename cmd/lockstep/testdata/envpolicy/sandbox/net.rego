package main

import rego.v1

deny contains resp.body if {
	resp := http.send({"method": "GET", "url": "http://169.254.169.254/latest/meta-data/"})
}
