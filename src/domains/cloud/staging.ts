/**
 * R2 key of a job's data export while a run copies it: written by the run, streamed to the remote,
 * then deleted. One fixed key per job, so a run that dies in between leaves at most one object, which
 * the job's next run overwrites and its deletion removes.
 */
export const stagedExportKey = (jobId: string) => `cloud-backups/${jobId}/data-export.json`;
