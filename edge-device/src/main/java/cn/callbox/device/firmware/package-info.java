/**
 * Firmware over the air, the box's side (LwM2M object 5, pull only): {@link cn.callbox.device.firmware.FirmwareUpdater}
 * is the state machine that downloads a signed package, checks it and installs it, with a helper for each step:
 * {@code FirmwareDownload} (HTTP), {@code PackageVerifier} (signature, trusted keys),
 * {@link cn.callbox.device.firmware.FirmwareSlots} (the two slots) and {@code RestartWhenSilent} (the restart waits
 * for the siren). No Leshan here: the object itself is {@code lwm2m.FirmwareUpdateEnabler}.
 *
 * <p>The firmware folder is a contract shared with the Debian package's wrapper script
 * ({@code /usr/bin/callbox-edge}, source {@code edge-device/src/deb/bin/callbox-edge}), which passes
 * {@code --firmware-dir} and alone decides which jar starts and when a trial is rolled back:
 *
 * <pre>
 * &lt;firmware-dir&gt;/           e.g. /var/lib/callbox/firmware
 *   a/  b/                 slots: callbox-edge.jar + manifest.properties (FirmwarePackage.Manifest.toProperties())
 *   current -&gt; a           relative symlink to the slot the wrapper starts; absent = the factory jar of the .deb
 *   trial                  while a newly installed slot is on trial: lines slot=&lt;a|b&gt;,
 *                          previous=&lt;a|b|factory&gt;, version=&lt;v&gt;
 *   trial-starts           how often the wrapper has started the trial slot (written by the wrapper only)
 *   update-result          outcome of the last update, survives restarts: first line the Update Result code
 *                          (object 5 resource 5), second line a message in English
 *   download/              work files of a download: package.cbfw.part, callbox-edge.jar.part
 * </pre>
 *
 * Who writes what:
 * <ul>
 * <li>the firmware installs: it empties the slot {@code current} does not point to (a when there is none), moves the
 * verified jar and writes the manifest there (fsync), writes {@code trial} (previous = the old target of
 * {@code current}, or {@code factory}), removes {@code trial-starts}, switches {@code current} atomically (a
 * {@code current.new} symlink renamed over it) and exits with code 3 for the service manager to start it again;</li>
 * <li>the firmware confirms: once it has been registered with the hub and its heartbeats (registration updates) have
 * got through for the healthy window ({@code firmware.confirm-after-seconds}, default 600 s) in one stretch, when
 * {@code trial} names the slot {@code current} points to, it removes {@code trial} and {@code trial-starts} and writes
 * {@code update-result} 1 ("installed &lt;version&gt;"). A lost registration starts the window again; a crash or
 * restart before the window is over ends the trial in the wrapper. A {@code trial} naming another slot is an install
 * interrupted between the two writes: it is removed and the result is 8 ("interrupted install");</li>
 * <li>the wrapper rolls back: each start of a trial slot counts in {@code trial-starts}; more than
 * {@code CALLBOX_TRIAL_STARTS} (3) starts, the firmware ending before it confirmed itself, or no confirmation within
 * {@code CALLBOX_TRIAL_SECONDS} (300 s) plus the healthy window of a start, and it points {@code current} back at
 * {@code previous} (removes it for {@code factory}), writes {@code update-result} 8 ("rolled back &lt;version&gt;:
 * ...") and only then removes the trial files (and in the deadline case stops the firmware, which the service
 * manager starts again). Each step's exit status is checked: when {@code current} cannot be switched back the trial
 * stays, {@code update-result} says "rollback failed" (when the disk takes it), the next start tries again, and the
 * trial firmware, started once more, is told so through {@code CALLBOX_ROLLBACK_FAILED}: it reports 8 and never
 * confirms itself.</li>
 * </ul>
 */
package cn.callbox.device.firmware;
