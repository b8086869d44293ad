resource "terraform_data" "db" {
  input = {
    engine_version = "16.1"
  }
}
