# network_id is given on the command line: staging's network id.
