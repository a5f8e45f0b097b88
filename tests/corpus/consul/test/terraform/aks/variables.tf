# Copyright (c) HashiCorp, Inc.
# SPDX-License-Identifier: MPL-2.0

variable "location" {
  default     = "West US 2"
  description = "The location to launch this AKS cluster in."
}

variable "kubernetes_version" {
  default     = "1.32"
  description = "Kubernetes version supported on AKS"
}

variable "client_id" {
  default     = ""
  description = "The client ID of the service principal to be used by Kubernetes when creating Azure resources like load balancers."
}

variable "client_secret" {
  default     = ""
  description = "The client secret of the service principal to be used by Kubernetes when creating Azure resources like load balancers."
}

variable "cluster_count" {
  default     = 1
  description = "The number of Kubernetes clusters to create."

  // We currently cannot support more than 2 clusters
  // because setting up peering is more complicated if cluster count is
  // more than two.
  validation {
    condition     = var.cluster_count < 3 && var.cluster_count > 0
    error_message = "The cluster_count value must be 1 or 2."
  }
}

variable "tags" {
  type        = map(any)
  default     = {}
  description = "Tags to attach to the created resources."
}

variable "uptycs_owner" {
  default     = "hc-team-consul-dg@ibm.com"
  description = "Owner email for Uptycs EDR agent tags."
}

variable "uptycs_enroll_secret" {
  default     = ""
  description = "Uptycs enroll secret containing customer identifiers."
  sensitive   = true
}

variable "uptycs_webhook_ca_bundle" {
  default     = ""
  description = "Base64-encoded CA bundle for kubequery webhook."
  sensitive   = true
}

variable "uptycs_webhook_tls_crt" {
  default     = ""
  description = "Base64-encoded TLS certificate for kubequery webhook server."
  sensitive   = true
}

variable "uptycs_webhook_tls_key" {
  default     = ""
  description = "Base64-encoded TLS private key for kubequery webhook server."
  sensitive   = true
}
