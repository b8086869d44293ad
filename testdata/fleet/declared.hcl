# The fleet of lockstep.hcl declared in the config instead of --inputs:
# alpha through a stacks block's pattern, bravo and charlie by stack blocks
# (charlie with its own config). fleet's TestDeclaredStacks reads it.
environment "dev" {}
environment "staging" {}
environment "production" {}
promotion = ["dev", "staging", "production"]

stacks {
  patterns = ["exports/{stack}/{env}.tfstate"]
}

stack "bravo" {
  inputs = {
    dev        = "exports/bravo/dev.json"
    staging    = "exports/bravo/staging.json"
    production = "exports/bravo/production.json"
  }
}

stack "charlie" {
  inputs = {
    dev        = "exports/charlie/dev.json"
    staging    = "exports/charlie/staging.json"
    production = "exports/charlie/production.json"
  }
  config = "exports/charlie/lockstep.hcl"
}
