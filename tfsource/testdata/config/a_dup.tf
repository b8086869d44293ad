resource "terraform_data" "dup" {
  input = "first"
}
