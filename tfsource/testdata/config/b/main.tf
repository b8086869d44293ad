resource "terraform_data" "in_b" {
  input = "b"
}

data "terraform_remote_state" "b" {
  backend = "local"
}
