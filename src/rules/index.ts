import type { Rule } from '../core/rule.js';
import { privilegedContainer } from './privileged-container.js';
import { capabilitiesAdded } from './capabilities-added.js';
import { hostNetwork } from './host-network.js';
import { hostPid } from './host-pid.js';
import { hostIpc } from './host-ipc.js';
import { hostUts } from './host-uts.js';
import { hostUserns } from './host-userns.js';
import { sensitiveHostPath } from './sensitive-host-path.js';
import { dockerSocketMounted } from './docker-socket-mounted.js';
import { apparmorUnconfined } from './apparmor-unconfined.js';
import { selinuxDisabled } from './selinux-disabled.js';
import { seccompUnconfined } from './seccomp-unconfined.js';
import { noNewPrivilegesUnset } from './no-new-privileges-unset.js';
import { sshdRunning } from './sshd-running.js';
import { privilegedHostPort } from './privileged-host-port.js';
import { openPorts } from './open-ports.js';
import { portBoundAllInterfaces } from './port-bound-all-interfaces.js';
import { defaultBridgeNetwork } from './default-bridge-network.js';
import { hostDevice } from './host-device.js';
import { sharedMountPropagation } from './shared-mount-propagation.js';
import { noMemoryLimit } from './no-memory-limit.js';
import { noCpuLimit } from './no-cpu-limit.js';
import { writableRootFilesystem } from './writable-root-filesystem.js';
import { restartPolicy } from './restart-policy.js';
import { ulimitOverride } from './ulimit-override.js';
import { cgroupParentSet } from './cgroup-parent-set.js';
import { containerUnhealthy } from './container-unhealthy.js';
import { imageNotPinned } from './image-not-pinned.js';
import { noPidsLimit } from './no-pids-limit.js';
import { swarmModeEnabled } from './swarm-mode-enabled.js';
import { runsAsRoot } from './runs-as-root.js';
import { noHealthcheck } from './no-healthcheck.js';
import { imageTagLatest } from './image-tag-latest.js';
import { addInsteadOfCopy } from './add-instead-of-copy.js';
import { updateWithoutInstall } from './update-without-install.js';
import { aptInstallRecommends } from './apt-install-recommends.js';
import { packageCacheKept } from './package-cache-kept.js';
import { sudoInRun } from './sudo-in-run.js';
import { pipeToShell } from './pipe-to-shell.js';
import { shellFormCommand } from './shell-form-command.js';
import { daemonInBackground } from './daemon-in-background.js';
import { multipleCmd } from './multiple-cmd.js';
import { maintainerDeprecated } from './maintainer-deprecated.js';
import { secretInEnvironment } from './secret-in-environment.js';
import { sshPortExposed } from './ssh-port-exposed.js';
import { worldWritablePermissions } from './world-writable-permissions.js';
import { dockerRootNotSeparatePartition } from './docker-root-not-separate-partition.js';
import { dockerGroupMembers } from './docker-group-members.js';
import { dockerPathNotAudited } from './docker-path-not-audited.js';
import { daemonNotRootless } from './daemon-not-rootless.js';
import { iccEnabled } from './icc-enabled.js';
import { logLevelNotInfo } from './log-level-not-info.js';
import { iptablesDisabled } from './iptables-disabled.js';
import { insecureRegistry } from './insecure-registry.js';
import { aufsStorageDriver } from './aufs-storage-driver.js';
import { tcpWithoutTlsAuth } from './tcp-without-tls-auth.js';
import { usernsRemapDisabled } from './userns-remap-disabled.js';
import { defaultCgroupParentChanged } from './default-cgroup-parent-changed.js';
import { dmBasesizeChanged } from './dm-basesize-changed.js';
import { noAuthorizationPlugin } from './no-authorization-plugin.js';
import { noRemoteLogging } from './no-remote-logging.js';
import { daemonNoNewPrivilegesUnset } from './daemon-no-new-privileges-unset.js';
import { liveRestoreDisabled } from './live-restore-disabled.js';
import { userlandProxyEnabled } from './userland-proxy-enabled.js';
import { daemonSeccompUnconfined } from './daemon-seccomp-unconfined.js';
import { experimentalEnabled } from './experimental-enabled.js';
import { defaultUlimitUnset } from './default-ulimit-unset.js';
import { daemonFileWrongOwner } from './daemon-file-wrong-owner.js';
import { daemonFileTooPermissive } from './daemon-file-too-permissive.js';
import { setuidFilesInImage } from './setuid-files-in-image.js';
import { contentTrustDisabled } from './content-trust-disabled.js';
import { unusedImages } from './unused-images.js';
import { stoppedContainers } from './stopped-containers.js';
// Section daemon (CIS 2.x)

/** Every rule, in id order. Adding a rule: its file, its fixtures, one line here, `npm run docs`. */
export const RULES: readonly Rule[] = [
  privilegedContainer,
  capabilitiesAdded,
  hostNetwork,
  hostPid,
  hostIpc,
  hostUts,
  hostUserns,
  sensitiveHostPath,
  dockerSocketMounted,
  apparmorUnconfined,
  selinuxDisabled,
  seccompUnconfined,
  noNewPrivilegesUnset,
  sshdRunning,
  privilegedHostPort,
  openPorts,
  portBoundAllInterfaces,
  noMemoryLimit,
  noCpuLimit,
  writableRootFilesystem,
  restartPolicy,
  hostDevice,
  ulimitOverride,
  sharedMountPropagation,
  cgroupParentSet,
  containerUnhealthy,
  imageNotPinned,
  noPidsLimit,
  defaultBridgeNetwork,
  swarmModeEnabled,
  runsAsRoot,
  noHealthcheck,
  imageTagLatest,
  addInsteadOfCopy,
  updateWithoutInstall,
  aptInstallRecommends,
  packageCacheKept,
  sudoInRun,
  pipeToShell,
  shellFormCommand,
  daemonInBackground,
  multipleCmd,
  maintainerDeprecated,
  secretInEnvironment,
  sshPortExposed,
  worldWritablePermissions,
  dockerRootNotSeparatePartition,
  dockerGroupMembers,
  dockerPathNotAudited,
  daemonNotRootless,
  iccEnabled,
  logLevelNotInfo,
  iptablesDisabled,
  insecureRegistry,
  aufsStorageDriver,
  tcpWithoutTlsAuth,
  usernsRemapDisabled,
  defaultCgroupParentChanged,
  dmBasesizeChanged,
  noAuthorizationPlugin,
  noRemoteLogging,
  daemonNoNewPrivilegesUnset,
  liveRestoreDisabled,
  userlandProxyEnabled,
  daemonSeccompUnconfined,
  experimentalEnabled,
  defaultUlimitUnset,
  daemonFileWrongOwner,
  daemonFileTooPermissive,
  setuidFilesInImage,
  contentTrustDisabled,
  unusedImages,
  stoppedContainers,
];
