# CLASSIFICATION: COMMUNITY
# Filename: main.tf v0.1
# Author: cohesix-qa
# Date Modified: 2026-11-29
# Cohesix on EKS: cluster, node group for QEMU pods, the privileged Cohesix DaemonSet.

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

variable "cluster_role_arn" { type = string }
variable "node_role_arn" { type = string }
variable "subnet_ids" { type = list(string) }

resource "aws_eks_cluster" "cohesix" {
  name     = var.cluster_name
  role_arn = var.cluster_role_arn
  vpc_config {
    subnet_ids = var.subnet_ids
  }
}

resource "aws_eks_node_group" "cohesix" {
  cluster_name    = aws_eks_cluster.cohesix.name
  node_group_name = "cohesix-qemu"
  node_role_arn   = var.node_role_arn
  subnet_ids      = var.subnet_ids
  instance_types  = ["m5.metal"]
  scaling_config {
    desired_size = 3
    min_size     = 1
    max_size     = 6
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
  depends_on = [aws_eks_node_group.cohesix]
}
