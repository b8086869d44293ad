# Loaded by every workspace; a -var-file given on the command line wins.
log_level = "info"
