# The configuration examples/seed/plan.json was planned from. `juris check
# examples/seed/plan.json` points its findings at the blocks below; `juris check
# examples/seed` checks this configuration without a plan.

terraform {
  required_providers {
    aws      = { source = "hashicorp/aws", version = "~> 5.70" }
    alicloud = { source = "aliyun/alicloud", version = "~> 1.230" }
    google   = { source = "hashicorp/google", version = "~> 6.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "hongkong"
  region = "ap-east-1"
}

provider "aws" {
  alias  = "eu"
  region = var.eu_region
}

provider "alicloud" {
  region = "us-west-1"
}

provider "google" {
  project = var.gcp_project
  region  = "us-central1"
}

# Alibaba Cloud's US region: US soil, Chinese custody.
resource "alicloud_oss_bucket" "customer_exports" {
  bucket = "acme-customer-exports"
  tags = {
    "data-classification" = "personal"
    "data-subjects"       = "US"
    team                  = "growth"
  }
}

resource "aws_s3_bucket" "customer_records" {
  bucket = "acme-customer-records"
  tags = {
    "data-classification" = "personal"
    "data-subjects"       = "US"
  }
}

resource "aws_s3_bucket" "customer_records_replica" {
  provider = aws.hongkong
  bucket   = "acme-customer-records-hk"
  tags = {
    "data-classification" = "personal"
    "data-subjects"       = "US"
  }
}

# Copies every object of customer_records to the Hong Kong bucket.
resource "aws_s3_bucket_replication_configuration" "customer_records" {
  bucket = aws_s3_bucket.customer_records.id
  role   = aws_iam_role.replication.arn

  rule {
    id     = "everything"
    status = "Enabled"

    destination {
      bucket        = aws_s3_bucket.customer_records_replica.arn
      storage_class = "STANDARD"
    }
  }
}

resource "aws_iam_role" "replication" {
  name = "acme-s3-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_db_instance" "orders" {
  identifier          = "acme-orders"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 50
  storage_encrypted   = true
  multi_az            = true
  username            = "acme"
  skip_final_snapshot = false
  tags = {
    "data-classification" = "sensitive-personal"
    "data-subjects"       = "US"
  }
}

resource "aws_s3_bucket" "eu_customers" {
  provider = aws.eu
  bucket   = "acme-eu-customers"
  tags = {
    "data-classification" = "personal"
    "data-subjects"       = "EU"
  }
}

resource "google_storage_bucket" "audit_logs" {
  name                        = "acme-audit-logs"
  location                    = "US"
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  labels = {
    "data-classification" = "internal"
  }
}
