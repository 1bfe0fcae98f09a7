# bulkhead audits every Nomad client once: a sysbatch job runs one allocation
# per eligible node and lets it finish. The report is the task's stdout:
#   nomad job run deploy/nomad/bulkhead.nomad.hcl
#   nomad job status bulkhead-audit                  # one allocation per node
#   nomad alloc logs ALLOC_ID audit > NODE.json      # -stderr for an error line
# Not run by bulkhead's tests (there is no Nomad here): see the README.
#
# The clients' docker plugin must allow bind mounts of host paths:
#   plugin "docker" { config { volumes { enabled = true } } }
# Nothing else beyond the defaults: no privileged, no added capability.
#
# Image: build deploy/image/Dockerfile, push it to your registry, and put its
# reference here, pinned by digest (registry/bulkhead@sha256:...).
job "bulkhead-audit" {
  type        = "sysbatch"
  datacenters = ["*"]

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  group "audit" {
    # An audit that could not complete (exit 2 usage, 3 the engine could not
    # be audited) fails the allocation and is not retried: its log says why.
    # Findings do not fail it (--fail-on none): they are the report.
    restart {
      attempts = 0
      mode     = "fail"
    }

    task "audit" {
      driver = "docker"
      # uid 0 reads the host's root-owned files under /host and the Docker
      # socket (root:docker 0660); every capability is dropped below.
      user = "0"

      config {
        image = "bulkhead:0.1.0"
        args  = ["audit", "--root", "/host", "-f", "json", "--show-suppressed", "-q", "--fail-on", "none"]

        # The host sections read the node's processes in /proc (sshd, dockerd's flags).
        pid_mode        = "host"
        readonly_rootfs = true
        cap_drop        = ["all"]
        # Root reads a directory whose mode denies even its owner only with it (a default capability; as deploy/image's docker run).
        cap_add         = ["dac_override"]
        security_opt    = ["no-new-privileges"]
        pids_limit      = 256

        # The node's / read-only: every host file is read under --root /host.
        mount {
          type     = "bind"
          source   = "/"
          target   = "/host"
          readonly = true
          bind_options {
            propagation = "rprivate"
          }
        }

        # The engine's API. Read-only does not stop a socket's use: this access
        # is root on the node, and is why the task runs only the read-only audit.
        mount {
          type     = "bind"
          source   = "/var/run/docker.sock"
          target   = "/var/run/docker.sock"
          readonly = true
        }
      }

      resources {
        cpu    = 500 # MHz
        memory = 512 # MiB
      }
    }
  }
}
