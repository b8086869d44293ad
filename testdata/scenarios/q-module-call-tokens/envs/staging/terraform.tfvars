env            = "staging"
engine_version = "15.4"
