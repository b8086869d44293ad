
resource "terraform_data" "dup" {
  input = "second"
}
