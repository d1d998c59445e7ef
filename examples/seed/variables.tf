variable "eu_region" {
  description = "Region of the EU customer data"
  default     = "eu-central-1"
}

variable "gcp_project" {
  description = "GCP project"
}
