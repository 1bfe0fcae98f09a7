#!/usr/bin/env bash
# Prints one bulkhead audit Job per node (job-template.yaml with NODE_NAME
# replaced), as one multi-document YAML on stdout; it changes nothing itself.
#   bash deploy/kubernetes/jobs.sh | kubectl create -f -        # every node kubectl sees
#   bash deploy/kubernetes/jobs.sh node-a node-b | kubectl create -f -
# Exit 2 when a name is not a Kubernetes node name (nothing is printed then),
# or when there are no nodes; kubectl's own failure is passed on.
set -euo pipefail

template="$(dirname "$0")/job-template.yaml"

if [ $# -gt 0 ]; then
  nodes=("$@")
else
  listed=$(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
  nodes=()
  while IFS= read -r node; do
    [ -n "$node" ] && nodes+=("$node")
  done <<<"$listed"
fi
if [ ${#nodes[@]} -eq 0 ]; then
  echo "jobs.sh: no nodes" >&2
  exit 2
fi

# A node name is a DNS subdomain (lowercase letters, digits, '-' and '.', at
# most 253): checked before any is printed, so a name can never inject YAML
# or sed syntax into the Jobs.
for node in "${nodes[@]}"; do
  if [ ${#node} -gt 253 ] || ! [[ $node =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]]; then
    echo "jobs.sh: not a node name: $(printf '%q' "$node")" >&2
    exit 2
  fi
done

first=1
for node in "${nodes[@]}"; do
  [ $first = 1 ] || echo '---'
  first=0
  sed "s/NODE_NAME/$node/g" "$template"
done
