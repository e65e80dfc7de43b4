# CLASSIFICATION: COMMUNITY
# Filename: main.tf v0.1
# Author: cohesix-qa
# Date Modified: 2026-11-29
# Cohesix on GKE: cluster, node pool for QEMU pods, the privileged Cohesix DaemonSet.

variable "cluster_name" {
  type    = string
  default = "cohesix"
}

variable "runner_image" {
  type    = string
  default = "ghcr.io/cohesix/qemu-runner:9.2"
}

variable "cohesix_role" {
  type    = string
  default = "RegionalQueen"
}

variable "project" { type = string }
variable "region" {
  type    = string
  default = "europe-west1"
}

resource "google_container_cluster" "cohesix" {
  name                     = var.cluster_name
  project                  = var.project
  location                 = var.region
  remove_default_node_pool = true
  initial_node_count       = 1
}

resource "google_container_node_pool" "cohesix" {
  name     = "cohesix-qemu"
  cluster  = google_container_cluster.cohesix.id
  location = var.region
  node_config {
    machine_type = "n2-standard-8"
  }
  autoscaling {
    min_node_count = 1
    max_node_count = 6
  }
}

resource "kubernetes_daemon_set_v1" "cohesix" {
  metadata {
    name      = "cohesix-queen"
    namespace = "cohesix"
  }
  spec {
    selector {
      match_labels = { "app.kubernetes.io/name" = "cohesix" }
    }
    template {
      metadata {
        labels = { "app.kubernetes.io/name" = "cohesix" }
      }
      spec {
        container {
          name    = "qemu"
          image   = var.runner_image
          command = ["qemu-system-x86_64", "-m", "2048", "-kernel", "/assets/cohesix.efi", "-append", "COHROLE=${var.cohesix_role}"]
          security_context {
            privileged = true
          }
          volume_mount {
            name       = "assets"
            mount_path = "/assets"
            read_only  = true
          }
        }
        volume {
          name = "assets"
          host_path {
            path = "/var/lib/cohesix/assets"
          }
        }
      }
    }
  }
  depends_on = [google_container_node_pool.cohesix]
}
