module "b" {
  source = "../b"
}

resource "terraform_data" "in_a" {
  input = "a"

  dynamic "setting" {
    for_each = [1, 2]
    content {
      value = setting.value
    }
  }

  ebs_block_device {
    size = 10
  }
  ebs_block_device {
    size = 20
  }
}
